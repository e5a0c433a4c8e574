import { z } from 'zod';

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Sync & Retry settings of a deployment. Defaults are those of a first deploy. */
export const syncSettingsSchema = z
  .object({
    mode: z.enum(['manual', 'auto']).default('manual'),
    frequency: z.enum(['daily', 'hourly']).default('hourly'),
    retryDailyAt: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM on a 24-hour clock')
      .optional(),
    interval: z.number().int().min(1).max(23).default(1).describe('hours between retry runs'),
    timeLapse: z
      .number()
      .int()
      .min(0)
      .max(10_080)
      .default(20)
      .describe('minutes after its last attempt before a failed record is eligible'),
    batchSize: z.number().int().min(1).max(100_000).default(100),
    timezone: z.string().default('UTC').refine(isTimeZone, 'not an IANA time zone name'),
  })
  .strict()
  .superRefine((settings, ctx) => {
    if (settings.frequency === 'daily' && !settings.retryDailyAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['retryDailyAt'],
        message: 'required when frequency is daily',
      });
    }
    if (settings.frequency === 'hourly' && settings.retryDailyAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['retryDailyAt'],
        message: 'applies only when frequency is daily',
      });
    }
  });

export type SyncSettings = z.infer<typeof syncSettingsSchema>;
