import type { SourceItem, SourceRecord, SourceReject } from './connector';
import { readRecordId, recordIdProblem } from './record-id';

const PREVIEW_CHARS = 200;

export interface RawEntry {
  /** Where the entry was found, stable enough to find it again (e.g. "offset 40 item 3"). */
  locator: string;
  value: unknown;
}

/**
 * Turns what a source answered into records and rejects: an entry that is not a JSON object,
 * has no id, or is larger than the limit becomes a reject named by its locator, so it shows up
 * in Sync Info instead of vanishing.
 */
export function toSourceItems(
  entries: RawEntry[],
  idField: string,
  maxRecordBytes: number,
): { records: SourceItem[]; rejects: SourceReject[] } {
  const records: SourceItem[] = [];
  const rejects: SourceReject[] = [];

  for (const { locator, value } of entries) {
    const text = JSON.stringify(value) ?? 'undefined';
    const raw = text.slice(0, PREVIEW_CHARS);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      rejects.push({ locator, error: 'entry is not a JSON object', raw });
    } else if (Buffer.byteLength(text) > maxRecordBytes) {
      rejects.push({ locator, error: `record is larger than ${maxRecordBytes} bytes`, raw });
    } else {
      const id = readRecordId(value as SourceRecord, idField);
      const problem = id === null ? `record has no id in field "${idField}"` : recordIdProblem(id);
      if (problem !== null) rejects.push({ locator, error: problem, raw });
      else records.push({ id: id!, data: value as SourceRecord });
    }
  }
  return { records, rejects };
}
