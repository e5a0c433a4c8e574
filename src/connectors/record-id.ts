/** Reads a record's id at a dotted path; numbers become their decimal text. */
export function readRecordId(record: Record<string, unknown>, idField: string): string | null {
  let value: unknown = record;
  for (const key of idField.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === 'string') return value.length > 0 ? value : null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return null;
}

/**
 * Source ids travel in retry lifecycles' inputs and resync requests (which accept ids up to
 * this length): a longer one becomes a reject rather than a record, so no payload grows with it.
 */
export const MAX_SOURCE_ID_BYTES = 4096;

/** Why a record id cannot be kept, or null when it can. */
export function recordIdProblem(id: string): string | null {
  const bytes = Buffer.byteLength(id);
  return bytes > MAX_SOURCE_ID_BYTES
    ? `record id is ${bytes} bytes long; ids of up to ${MAX_SOURCE_ID_BYTES} bytes are kept`
    : null;
}
