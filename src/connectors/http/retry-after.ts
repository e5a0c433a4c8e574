/**
 * How long a Retry-After header asks us to wait, in milliseconds: either delay-seconds or an
 * HTTP-date (RFC 9110 §10.2.3). `undefined` when the header is absent or unreadable; a date in
 * the past means "now".
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
