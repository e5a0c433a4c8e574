import type { SourceRecord } from '../connector';

/**
 * A row as a JSON record: timestamps as ISO text and bytes as base64, so the record means the
 * same in a transform, a snapshot and a destination. Big integers and numerics stay text, as
 * the driver gives them, so no digit is lost.
 */
export function rowToRecord(row: Record<string, unknown>, drop: string): SourceRecord {
  const record: SourceRecord = {};
  for (const [column, value] of Object.entries(row)) {
    if (column === drop) continue;
    record[column] =
      value instanceof Date
        ? value.toISOString()
        : Buffer.isBuffer(value)
          ? value.toString('base64')
          : value;
  }
  return record;
}
