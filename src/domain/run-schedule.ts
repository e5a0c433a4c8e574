import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { instantsShowing } from './retry-schedule';
import { isTimeZone } from './sync-settings';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** The largest offset of any zone from UTC (UTC+14). */
const MAX_OFFSET_MS = 14 * HOUR_MS;

/** Hours that divide a day, so an every-N-hours schedule falls on the same hours every day. */
const wholeDayHours = [1, 2, 3, 4, 6, 8, 12] as const;

/**
 * When a deployment's main run starts by itself: every N minutes, every N hours (on the hours
 * of the day divisible by N, wall clock), or a cron expression (five fields, wall clock), in a
 * time zone (default: the deployment's).
 */
export const runScheduleSchema = z
  .strictObject({
    everyMinutes: z.number().int().min(1).max(1440).optional().describe('minutes between runs'),
    everyHours: z
      .number()
      .int()
      .refine((h) => (wholeDayHours as readonly number[]).includes(h), {
        message: `one of ${wholeDayHours.join(', ')}: hours that divide a day`,
      })
      .optional()
      .describe('runs at the hours of the day divisible by N, on the hour'),
    cron: z
      .string()
      .refine(
        isCronExpression,
        'not a cron expression of five fields (minute hour day month weekday)',
      )
      .optional()
      .describe('minute hour day-of-month month day-of-week, e.g. "30 6 * * 1-5"'),
    timezone: z
      .string()
      .refine(isTimeZone, 'not an IANA time zone name')
      .optional()
      .describe("IANA time zone of the wall-clock times; default: the deployment's"),
  })
  .superRefine((schedule, ctx) => {
    const given = (['everyMinutes', 'everyHours', 'cron'] as const).filter(
      (key) => schedule[key] !== undefined,
    );
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'give exactly one of everyMinutes, everyHours and cron',
      });
    }
  });

export type RunScheduleInput = z.infer<typeof runScheduleSchema>;

/** A schedule with its time zone settled. */
export type RunSchedule = ({ everyMinutes: number } | { everyHours: number } | { cron: string }) & {
  timezone: string;
};

/** The Temporal schedule spec of a run schedule (the shape of the client's ScheduleSpec). */
export interface RunScheduleSpec {
  intervals?: { every: number }[];
  cronExpressions?: string[];
  timezone: string;
}

function isCronExpression(text: string): boolean {
  if (text.trim().split(/\s+/).length !== 5) return false;
  try {
    CronExpressionParser.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The cron expression of a wall-clock schedule, or null for a fixed interval. */
function cronOf(schedule: RunSchedule): string | null {
  if ('cron' in schedule) return schedule.cron.trim();
  if ('everyHours' in schedule) return `0 */${schedule.everyHours} * * *`;
  return null;
}

/**
 * The Temporal spec. Minutes are a fixed interval (counted from the Unix epoch, so every 15
 * minutes falls on :00, :15, :30, :45); hours and cron expressions are wall-clock times in the
 * time zone, so a run at 06:00 stays at 06:00 across DST changes.
 */
export function toScheduleSpec(schedule: RunSchedule): RunScheduleSpec {
  const cron = cronOf(schedule);
  if (cron === null && 'everyMinutes' in schedule) {
    return {
      intervals: [{ every: schedule.everyMinutes * MINUTE_MS }],
      timezone: schedule.timezone,
    };
  }
  return { cronExpressions: [cron!], timezone: schedule.timezone };
}

/**
 * How long after a missed run (the Temporal server or the environment's agents were down) it
 * still starts: one period of the schedule, an hour for cron expressions. With overlap SKIP,
 * missed runs then start once, not in a burst.
 */
export function catchupWindowMs(schedule: RunSchedule): number {
  if ('everyMinutes' in schedule) return Math.max(schedule.everyMinutes * MINUTE_MS, MINUTE_MS);
  if ('everyHours' in schedule) return schedule.everyHours * HOUR_MS;
  return HOUR_MS;
}

/**
 * The next `count` run times strictly after `after`, as Temporal's scheduler picks them: a
 * wall-clock time that a spring DST change skips does not run that day, and one that occurs
 * twice when clocks fall back runs twice.
 */
export function nextRunTimes(schedule: RunSchedule, after: Date, count: number): Date[] {
  const cron = cronOf(schedule);
  if (cron === null && 'everyMinutes' in schedule) {
    const every = schedule.everyMinutes * MINUTE_MS;
    const first = Math.floor(after.getTime() / every) * every + every;
    return Array.from({ length: count }, (_, i) => new Date(first + i * every));
  }
  return wallClockRunTimes(cron!, schedule.timezone, after.getTime(), count);
}

/**
 * Walks the cron expression's wall-clock times (as if in UTC) and turns each into the instants
 * that show it in the zone: none in a gap, two in an overlap. An instant is at least the wall
 * time less the largest UTC offset, which bounds how far past the last wanted one to look.
 */
function wallClockRunTimes(cron: string, zone: string, after: number, count: number): Date[] {
  const offset = DateTime.fromMillis(after, { zone }).offset * MINUTE_MS;
  const walls = CronExpressionParser.parse(cron, {
    currentDate: new Date(after + offset - 2 * HOUR_MS),
    tz: 'UTC',
  });
  const found: number[] = [];
  for (let i = 0; i < 100_000; i++) {
    const wall = walls.next().getTime();
    for (const instant of instantsShowing(zone, wall)) if (instant > after) found.push(instant);
    found.sort((a, b) => a - b);
    if (found.length >= count && wall - MAX_OFFSET_MS > found[count - 1]) break;
  }
  return found.slice(0, count).map((instant) => new Date(instant));
}

/** Settles the time zone of a schedule given through the API. */
export function settleRunSchedule(
  input: RunScheduleInput,
  deploymentTimezone: string,
): RunSchedule {
  const timezone = input.timezone ?? deploymentTimezone;
  if (input.everyMinutes !== undefined) return { everyMinutes: input.everyMinutes, timezone };
  if (input.everyHours !== undefined) return { everyHours: input.everyHours, timezone };
  return { cron: input.cron!, timezone };
}

/** In words, for logs and the CLI: "every 15 minutes", "30 6 * * 1-5 (Europe/Paris)". */
export function describeRunSchedule(schedule: RunSchedule): string {
  if ('everyMinutes' in schedule) return `every ${schedule.everyMinutes} min`;
  if ('everyHours' in schedule) return `every ${schedule.everyHours} h (${schedule.timezone})`;
  return `cron "${schedule.cron}" (${schedule.timezone})`;
}
