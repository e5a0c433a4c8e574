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
