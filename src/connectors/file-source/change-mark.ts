import type { SourceRecord } from '../connector';

const INTEGER = /^-?\d+$/;
/** A date and a time with an offset or Z: a bare date or a local time names no instant. */
const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * A record's change mark at a dotted path, as text that `laterMark` orders: an integer as its
 * decimal text, an instant as ISO 8601 in UTC to the millisecond. Null when the field is
 * missing or holds neither, so the record cannot be shown unchanged.
 */
export function readChangeMark(record: SourceRecord, field: string): string | null {
  let value: unknown = record;
  for (const key of field.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (INTEGER.test(text)) return BigInt(text).toString();
  if (!INSTANT.test(text)) return null;
  const instant = new Date(text.replace(' ', 'T'));
  return Number.isNaN(instant.getTime()) ? null : instant.toISOString();
}

/**
 * Whether a record changed after `since`. A record whose mark is missing, unreadable or of
 * another kind than `since` counts as changed: listing it again is safe, skipping it is not.
 */
export function changedSince(mark: string | null, since: string): boolean {
  if (mark === null) return true;
  const markIsInteger = INTEGER.test(mark);
  if (markIsInteger !== INTEGER.test(since)) return true;
  if (markIsInteger) return BigInt(mark) > BigInt(since);
  const sinceTime = Date.parse(since);
  return Number.isNaN(sinceTime) || Date.parse(mark) > sinceTime;
}
