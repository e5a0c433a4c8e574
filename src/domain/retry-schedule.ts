import { DateTime } from 'luxon';
import type { SyncSettings } from './sync-settings';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** The settings that decide when retry slots happen, and the instant hourly slots count from. */
export type RetrySchedule = Pick<
  SyncSettings,
  'frequency' | 'retryDailyAt' | 'interval' | 'timezone'
> & {
  /** When the retry schedule was last set: the deployment, or the redeploy that changed it. */
  anchorAt: number;
};

/**
 * The first retry slot at or after `at` (epoch ms). Pure and deterministic, so workflows may use
 * it: hourly slots are the anchor instant plus whole intervals; daily slots start at
 * `retryDailyAt` on each local day and repeat every `interval` hours of wall-clock time until
 * the day ends. A wall-clock time skipped by a DST change falls on the first instant after the
 * gap; a time that occurs twice is used once, at its first occurrence.
 */
export function firstSlotAtOrAfter(schedule: RetrySchedule, at: number): number {
  if (schedule.frequency === 'hourly') {
    const every = schedule.interval * HOUR_MS;
    const k = Math.max(1, Math.ceil((at - schedule.anchorAt) / every));
    return schedule.anchorAt + k * every;
  }

  const zone = schedule.timezone;
  const day = DateTime.fromMillis(at, { zone }).startOf('day');
  for (let offset = -1; offset <= 3; offset++) {
    const slot = dailySlots(schedule, day.plus({ days: offset })).find((s) => s >= at);
    if (slot !== undefined) return slot;
  }
  throw new Error(`no retry slot found after ${new Date(at).toISOString()}`);
}

/** The first retry slot strictly after `at`. */
export function nextSlotAfter(schedule: RetrySchedule, at: number): number {
  return firstSlotAtOrAfter(schedule, at + 1);
}

/** When a record that failed at `failedAt` gets its next automatic retry. */
export function retrySlotFor(schedule: RetrySchedule, failedAt: number, timeLapseMinutes: number) {
  return firstSlotAtOrAfter(schedule, failedAt + timeLapseMinutes * MINUTE_MS);
}

/** The slots of one local day, in order, without repeats. */
function dailySlots(schedule: RetrySchedule, day: DateTime): number[] {
  const [hour, minute] = (schedule.retryDailyAt ?? '00:00').split(':').map(Number);
  const slots = new Set<number>();
  for (let h = hour; h < 24; h += schedule.interval) {
    slots.add(wallClockInstant(schedule.timezone, day.year, day.month, day.day, h, minute));
  }
  return [...slots].sort((a, b) => a - b);
}

/**
 * The instant a wall-clock time names in a zone. Ambiguous times (clocks falling back) answer
 * their first occurrence; missing ones (clocks springing forward) the first instant after the gap.
 */
export function wallClockInstant(
  zone: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  for (let skipped = 0; skipped <= 24 * 60; skipped++) {
    const candidates = instantsShowing(zone, wall + skipped * MINUTE_MS);
    if (candidates.length > 0) return Math.min(...candidates);
  }
  throw new Error(`no instant shows ${year}-${month}-${day} ${hour}:${minute} in ${zone}`);
}

/** Every instant whose local time in `zone` is `wall` (a wall-clock time written as UTC ms). */
export function instantsShowing(zone: string, wall: number): number[] {
  const found: number[] = [];
  // The offsets a day before and a day after cover both sides of any DST change.
  for (const probe of [wall - 24 * HOUR_MS, wall + 24 * HOUR_MS]) {
    const offset = DateTime.fromMillis(probe, { zone }).offset;
    const instant = wall - offset * MINUTE_MS;
    const local = DateTime.fromMillis(instant, { zone });
    const shown = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
    if (shown === wall && !found.includes(instant)) found.push(instant);
  }
  return found;
}
