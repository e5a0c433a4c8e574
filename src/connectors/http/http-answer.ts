import { STATUS_CODES } from 'node:http';

/** What an application answered, read in full (up to a cap). */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body was longer than the cap and was cut. */
  cut: boolean;
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; reason: string };

export function header(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}

export function contentType(answer: HttpAnswer): string {
  return (header(answer, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
}

/** Whether the answer says its body is JSON (application/json, application/*+json). */
export function claimsJson(answer: HttpAnswer): boolean {
  return /^application\/([a-z0-9.+-]*\+)?json$/.test(contentType(answer));
}

/** The body as JSON; an empty body is `null`. */
export function parseJson(answer: HttpAnswer): ParsedJson {
  if (answer.text.trim() === '') return { ok: true, value: null };
  if (answer.cut) return { ok: false, reason: 'the body is larger than the answer limit' };
  try {
    return { ok: true, value: JSON.parse(answer.text) };
  } catch (error) {
    const type = contentType(answer) || 'no content type';
    return { ok: false, reason: `the body (${type}) is not JSON: ${(error as Error).message}` };
  }
}

/** The start of a body, for messages and snapshots. */
export function bodyPreview(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars)}… (${text.length} chars)` : text;
}
