import { RecordConnectorError } from '../connector-errors';

/**
 * Joins a base URL and a path template. `{id}` becomes the source id percent-encoded as one
 * path segment, so that ids with `/`, `#`, `%`, `?` or spaces reach the application intact.
 */
export function expandUrl(baseUrl: string, template: string, id?: string): string {
  if (id !== undefined && (id === '.' || id === '..') && /(^|\/)\{id\}(\/|\?|$)/.test(template)) {
    // URL parsers remove dot segments, even percent-encoded ones: no URL can carry this id as a
    // path segment. A template with {id} in the query can.
    throw new RecordConnectorError(
      `source id "${id}" cannot be sent as a URL path segment; put {id} in the query instead`,
    );
  }
  const path = id === undefined ? template : template.split('{id}').join(encodeURIComponent(id));
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** A URL with query parameters added (or replaced). */
export function withQuery(url: string, params: Record<string, string | number>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(params)) parsed.searchParams.set(name, String(value));
  return parsed.toString();
}
