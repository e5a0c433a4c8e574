import type { WriteItem, WriteOutcome } from '../connector';
import { valueAt } from '../json-path';
import { readRecordId } from '../record-id';
import type { BulkWrite } from './http-destination-config';

type Result = Record<string, unknown>;

/**
 * Pairs a bulk answer's results with the items sent, by position or by a field, and decides
 * each item's own outcome. An item the answer says nothing about failed: we cannot know it was
 * written, and writing it again later is safe.
 */
export function bulkOutcomes(
  bulk: BulkWrite,
  items: WriteItem[],
  answerJson: unknown,
  describe: (
    item: WriteItem,
    index: number,
    result: unknown,
  ) => { request: unknown; response: unknown },
): WriteOutcome[] | string {
  const results = valueAt(answerJson, bulk.resultsPath);
  if (!Array.isArray(results)) return `the answer has no results array at ${bulk.resultsPath}`;

  const resultOf = matcher(bulk, results);
  return items.map((item, index) => {
    const result = resultOf(item, index);
    const seen = describe(item, index, result);
    if (result === undefined) {
      return { ok: false, error: 'the bulk answer has no result for this record', ...seen };
    }
    const error = rejection(bulk, result);
    return error === null ? { ok: true, ...seen } : { ok: false, error, ...seen };
  });
}

function matcher(bulk: BulkWrite, results: unknown[]) {
  const match = bulk.match;
  if (match.by === 'position') return (_item: WriteItem, index: number) => results[index];

  const byKey = new Map<string, unknown>();
  for (const result of results) {
    const key = isObject(result) ? readRecordId(result, match.resultField) : null;
    if (key !== null) byKey.set(key, result);
  }
  return (item: WriteItem) => {
    const key =
      match.itemField === undefined
        ? item.sourceId
        : isObject(item.data)
          ? readRecordId(item.data, match.itemField)
          : null;
    return key === null ? undefined : byKey.get(key);
  };
}

/** Why a result says its item was refused, or null when it was accepted. */
function rejection(bulk: BulkWrite, result: unknown): string | null {
  if (!isObject(result))
    return `the result for this record is not an object: ${JSON.stringify(result)}`;
  const error = result[bulk.errorField];
  if (error !== undefined && error !== null && error !== false && error !== '') {
    return typeof error === 'string' ? error : JSON.stringify(error);
  }
  if (bulk.statusField !== undefined && bulk.okStatuses !== undefined) {
    const status = result[bulk.statusField];
    if (!bulk.okStatuses.includes(status as string | number)) {
      return `the destination answered status ${JSON.stringify(status)} for this record`;
    }
  }
  return null;
}

function isObject(value: unknown): value is Result {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
