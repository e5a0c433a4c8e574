import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from './activity-deps';

const DAY_MS = 86_400_000;
const DELIVERY_TIMEOUT_MS = 10_000;

export function createReportActivities(deps: ActivityDeps) {
  return {
    /**
     * Makes an environment's report for the 24 hours before `periodEnd`, once however often it
     * is retried, and answers where to deliver it.
     */
    async compileDailyReport(input: { environment: string; periodEnd: number }) {
      const periodEnd = new Date(input.periodEnd);
      const periodStart = new Date(input.periodEnd - DAY_MS);
      const figures = await deps.reports.figures(input.environment, periodStart, periodEnd);
      const reportId = await deps.reports.insert({
        environment: input.environment,
        periodStart,
        periodEnd,
        figures,
      });
      const settings = await deps.reports.getSettings(input.environment);
      Context.current().log.info('daily report made', {
        environment: input.environment,
        reportId,
        ...figures.totals,
        topErrors: figures.totals.topErrors.length,
      });
      return { reportId, webhooks: settings?.webhooks ?? [] };
    },

    /**
     * POSTs a report to one webhook as JSON. A refusal (4xx other than 408 and 429) is final;
     * other failures are retried by Temporal. Each outcome is recorded with the report.
     */
    async deliverReport(input: { reportId: number; url: string }): Promise<void> {
      const report = await deps.reports.get(input.reportId);
      if (!report) throw ApplicationFailure.nonRetryable(`report ${input.reportId} is gone`);
      const body = { ...report, deliveries: undefined };
      let status: number | null = null;
      try {
        const response = await fetch(input.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'processflow-report' },
          body: JSON.stringify({ type: 'processflow.daily-report', ...body }),
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        status = response.status;
        await response.body?.cancel();
        if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
      } catch (error) {
        const message = (error as Error).message;
        await deps.reports.recordDelivery({
          ...input,
          status: 'failed',
          httpStatus: status,
          error: message,
        });
        const final =
          status !== null && status >= 400 && status < 500 && ![408, 429].includes(status);
        if (final) throw ApplicationFailure.nonRetryable(message, 'WebhookRefused');
        throw error;
      }
      await deps.reports.recordDelivery({
        ...input,
        status: 'delivered',
        httpStatus: status,
        error: null,
      });
    },
  };
}
