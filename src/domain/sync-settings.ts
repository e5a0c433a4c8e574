import { z } from 'zod';
import { InputError } from './errors';

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The IANA spelling of a zone name accepted in any case ("utc" is "UTC"). */
function canonicalTimeZone(name: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
}

const fields = {
  mode: z.enum(['manual', 'auto']),
  frequency: z.enum(['daily', 'hourly']),
  retryDailyAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM on a 24-hour clock'),
  interval: z.number().int().min(1).max(23).describe('hours between retry runs'),
  timeLapse: z
    .number()
    .int()
    .min(0)
    .max(10_080)
    .describe('minutes after its last attempt before a failed record is eligible'),
  batchSize: z.number().int().min(1).max(100_000),
  timezone: z
    .string()
    .refine(isTimeZone, 'not an IANA time zone name')
    .transform(canonicalTimeZone),
};

/** Sync & Retry settings of a deployment. Defaults are those of a first deploy. */
export const syncSettingsSchema = z
  .strictObject({
    mode: fields.mode.default('manual'),
    frequency: fields.frequency.default('hourly'),
    retryDailyAt: fields.retryDailyAt.optional(),
    interval: fields.interval.default(1),
    timeLapse: fields.timeLapse.default(20),
    batchSize: fields.batchSize.default(100),
    timezone: fields.timezone.default('UTC'),
  })
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

/** Settings a redeploy changes; what it leaves out stays as it was. */
export const syncSettingsChangeSchema = z.strictObject(fields).partial();

export type SyncSettingsChange = z.input<typeof syncSettingsChangeSchema>;

/**
 * The settings after a change: the given fields over the current ones (or the first-deploy
 * defaults). Switching to hourly drops the daily time unless the change sets one.
 */
export function changeSettings(current: SyncSettings | undefined, change: SyncSettingsChange) {
  const base: Partial<SyncSettings> = { ...(current ?? {}) };
  if (change.frequency === 'hourly' && change.retryDailyAt === undefined) {
    delete base.retryDailyAt;
  }
  const parsed = syncSettingsSchema.safeParse({ ...base, ...change });
  if (parsed.success) return parsed.data;
  throw new InputError(
    'the Sync & Retry settings are not valid',
    parsed.error.issues.map((issue) => ({
      path: ['settings', ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}
