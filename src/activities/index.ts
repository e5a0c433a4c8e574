import type { ActivityDeps } from './activity-deps';
import { createExecutionActivities } from './execution-activities';
import { createResyncActivities } from './resync-activities';
import { createRetryActivities } from './retry-activities';

export type { ActivityDeps } from './activity-deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createExecutionActivities(deps),
    ...createRetryActivities(deps),
    ...createResyncActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
