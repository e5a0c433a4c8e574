import type { ActivityDeps } from './activity-deps';
import { createExecutionActivities } from './execution-activities';
import { createResyncActivities } from './resync-activities';
import { createRetentionActivities } from './retention-activities';
import { createRetryActivities } from './retry-activities';
import { createReportActivities } from './report-activities';
import { createScheduleActivities } from './schedule-activities';

export type { ActivityDeps } from './activity-deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createExecutionActivities(deps),
    ...createRetryActivities(deps),
    ...createResyncActivities(deps),
    ...createScheduleActivities(deps),
    ...createReportActivities(deps),
    ...createRetentionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
