import { ActivityFailure, log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { compileDailyReport } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumInterval: '1 minute' },
});

const { deliverReport } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    maximumAttempts: 8,
    nonRetryableErrorTypes: ['WebhookRefused'],
  },
});

/**
 * An environment's daily report (started by its schedule, daily-report/<environment>): the
 * figures of the 24 hours up to now, saved, then POSTed to each webhook. A webhook that stays
 * down does not hold back the others; every outcome is kept with the report.
 */
export async function dailyReport(input: { environment: string }): Promise<number> {
  // Workflow time is the moment the run started, the same on every replay.
  const periodEnd = Date.now();
  const { reportId, webhooks } = await compileDailyReport({
    environment: input.environment,
    periodEnd,
  });
  const deliveries = webhooks.map((url) =>
    deliverReport({ reportId, url }).catch((error: unknown) => {
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('daily report not delivered', { reportId, url, error: error.cause?.message });
    }),
  );
  await Promise.all(deliveries);
  return reportId;
}
