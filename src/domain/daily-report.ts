import { z } from 'zod';
import { isTimeZone } from './sync-settings';

/** Where and when an environment's daily report goes. */
export const reportSettingsSchema = z.strictObject({
  at: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM on a 24-hour clock')
    .describe('wall-clock time the report is made, in timezone'),
  timezone: z.string().refine(isTimeZone, 'not an IANA time zone name').default('UTC'),
  webhooks: z
    .array(z.url({ protocol: /^https?$/ }))
    .max(10)
    .default([])
    .describe('each receives the report as a JSON POST'),
});

export type ReportSettings = z.infer<typeof reportSettingsSchema>;

export interface ErrorCount {
  error: string;
  count: number;
}

/** What happened in one deployment, or in the whole environment, over the period. */
export interface ReportFigures {
  /** Records written to the destination in the period. */
  synced: number;
  /** Of those, records whose success came from an automatic retry or a manual resync. */
  succeededOnRetry: number;
  /** Records attempted in the period whose last attempt failed, and so are Failed now. */
  stillFailing: number;
  topErrors: ErrorCount[];
}

export interface DailyReport {
  id: number;
  environment: string;
  periodStart: Date;
  periodEnd: Date;
  totals: ReportFigures;
  deployments: (ReportFigures & { deploymentId: string })[];
  createdAt: Date;
  deliveries: {
    url: string;
    status: 'delivered' | 'failed';
    httpStatus: number | null;
    error: string | null;
  }[];
}

/** The cron expression of a report made daily at HH:MM. */
export function reportCron(at: string): string {
  const [hour, minute] = at.split(':').map(Number);
  return `${minute} ${hour} * * *`;
}
