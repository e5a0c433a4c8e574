/**
 * Postgres text and jsonb cannot hold U+0000. Records and errors may: a source can send it, a
 * destination can echo it. Stored copies show it as U+2400 (␀), visibly, instead of failing.
 */
const SHOWN_AS = '\u2400';

export function storableText(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', SHOWN_AS) : text;
}

/** A deep copy of JSON-like data whose strings and keys are storable. */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [storableText(key), storableJson(inner)]),
    );
  }
  return value;
}
