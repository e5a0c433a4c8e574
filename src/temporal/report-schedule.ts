import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import { reportCron, type ReportSettings } from '../domain/daily-report';
import { taskQueueFor } from '../domain/environment';
import { dailyReport } from '../workflows/daily-report';
import { environmentKey, runKindKey } from '../workflows/search-attributes';

export const reportScheduleId = (environment: string) => `daily-report/${environment}`;

/** The Temporal Schedule that makes an environment's daily report. */
export interface ReportScheduleControl {
  apply(environment: string, settings: ReportSettings): Promise<void>;
  /** When the next report is due; null without a schedule. */
  nextRunAt(environment: string): Promise<Date | null>;
  /** Makes a report now, for the 24 hours up to now. */
  runNow(environment: string): Promise<void>;
}

export class TemporalReportScheduleControl implements ReportScheduleControl {
  constructor(private readonly client: Client) {}

  async apply(environment: string, settings: ReportSettings): Promise<void> {
    const scheduleId = reportScheduleId(environment);
    const options = {
      spec: { cronExpressions: [reportCron(settings.at)], timezone: settings.timezone },
      // A report missed while Temporal was down is still made within the hour, once.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 3_600_000 },
      action: {
        type: 'startWorkflow' as const,
        workflowType: dailyReport,
        workflowId: `daily-report/${environment}`,
        taskQueue: taskQueueFor(environment),
        args: [{ environment }] as [{ environment: string }],
        typedSearchAttributes: [
          { key: environmentKey, value: environment },
          { key: runKindKey, value: 'daily-report' },
        ],
      },
    };
    try {
      await this.client.schedule.create({ scheduleId, ...options });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await this.client.schedule
        .getHandle(scheduleId)
        .update((previous) => ({ ...previous, ...options, state: previous.state }));
    }
  }

  async nextRunAt(environment: string): Promise<Date | null> {
    try {
      const found = await this.client.schedule.getHandle(reportScheduleId(environment)).describe();
      return found.info.nextActionTimes[0] ?? null;
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return null;
      throw error;
    }
  }

  async runNow(environment: string): Promise<void> {
    await this.client.schedule
      .getHandle(reportScheduleId(environment))
      .trigger(ScheduleOverlapPolicy.ALLOW_ALL);
  }
}
