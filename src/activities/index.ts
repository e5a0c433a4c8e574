import type { ActivityDeps } from './activity-deps';
import { createExecutionActivities } from './execution-activities';

export type { ActivityDeps } from './activity-deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createExecutionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
