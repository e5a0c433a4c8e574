import { z } from 'zod';
import { type DailyReport, reportSettingsSchema } from '../../domain/daily-report';
import { slugSchema } from '../../domain/processflow-definition';
import {
  limitSchema,
  numericIdSchema,
  timestampSchema,
  toIso,
  toIsoOrNull,
} from './common-schemas';

export const reportSettingsBodySchema = reportSettingsSchema.meta({ id: 'ReportSettings' });

export const environmentParamsSchema = z.object({ name: slugSchema.describe('environment name') });
export const reportParamsSchema = z.object({ id: numericIdSchema.describe('report id') });

export const reportListQuerySchema = z.strictObject({
  limit: limitSchema,
  before: numericIdSchema.optional().describe('the nextBefore of the previous page'),
});

export const reportSettingsOutSchema = z.object({
  at: z.string(),
  timezone: z.string(),
  webhooks: z.array(z.string()),
  nextRunAt: timestampSchema.nullable(),
});

const errorCountSchema = z.object({ error: z.string(), count: z.number().int() });
const figuresShape = {
  synced: z.number().int().describe('records written to the destination in the period'),
  succeededOnRetry: z
    .number()
    .int()
    .describe('of those, records written by an automatic retry or a manual resync'),
  stillFailing: z.number().int().describe('records attempted in the period that are Failed now'),
  topErrors: z.array(errorCountSchema).describe('their most frequent errors'),
};

export const dailyReportSchema = z
  .object({
    id: z.number().int(),
    environment: z.string(),
    periodStart: timestampSchema,
    periodEnd: timestampSchema,
    totals: z.object(figuresShape),
    deployments: z.array(z.object({ deploymentId: z.string(), ...figuresShape })),
    createdAt: timestampSchema,
    deliveries: z.array(
      z.object({
        url: z.string(),
        status: z.enum(['delivered', 'failed']),
        httpStatus: z.number().int().nullable(),
        error: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'DailyReport' });

export const reportListSchema = z.object({
  reports: z.array(dailyReportSchema),
  nextBefore: z.number().int().nullable(),
});

export function toDailyReport(report: DailyReport): z.infer<typeof dailyReportSchema> {
  return {
    ...report,
    periodStart: toIso(report.periodStart),
    periodEnd: toIso(report.periodEnd),
    createdAt: toIso(report.createdAt),
  };
}

export function toReportSettings(settings: {
  at: string;
  timezone: string;
  webhooks: string[];
  nextRunAt: Date | null;
}) {
  return { ...settings, nextRunAt: toIsoOrNull(settings.nextRunAt) };
}
