import { createHash } from 'node:crypto';
import LinkHeader from 'http-link-header';
import { FatalConnectorError, TransientConnectorError } from '../connector-errors';
import { valueAt } from '../json-path';
import { readRecordId } from '../record-id';
import type { RawEntry } from '../source-items';
import { bodyPreview, claimsJson, type HttpAnswer, parseJson } from './http-answer';
import type { HttpClient } from './http-client';
import type { HttpSourceConfig } from './http-source-config';
import type { ListCursor } from './list-cursor';
import { expandUrl, withQuery } from './url-template';

export interface ListPage {
  entries: RawEntry[];
  next: ListCursor | null;
}

type Cursor<T extends ListCursor['type']> = Extract<ListCursor, { type: T }>;

/** Pages in a row that bring nothing new before we decide the API ignores our page parameter. */
const MAX_STALLS = 3;

/**
 * Reads the list page by page in the configured style. Page-number and offset styles remember
 * the last record handed over (the anchor) and look for it at the start of the next page:
 * records inserted ahead of the cursor push it forward, and whatever precedes it there was
 * already handed over, so it is dropped. With offsets the next request overlaps the previous
 * page by one record, which also reveals records removed ahead of the cursor (the anchor is
 * missing); the list is then read again from the start, since some records may have slid past.
 */
export class ListPager {
  private readonly pagination: HttpSourceConfig['list']['pagination'];

  constructor(
    private readonly client: HttpClient,
    private readonly config: HttpSourceConfig,
    private readonly idField: string,
  ) {
    this.pagination = config.list.pagination;
  }

  /** Incremental runs: the mark sent in list.since.param with every list request. */
  private since: string | null = null;

  async fetch(
    cursor: ListCursor | null,
    pageSize: number,
    since: string | null = null,
  ): Promise<ListPage> {
    const p = this.pagination;
    this.since = this.config.list.since ? since : null;
    if (cursor !== null && cursor.type !== p.type) {
      throw new FatalConnectorError(`cursor of ${cursor.type} paging given to ${p.type} paging`);
    }
    switch (p.type) {
      case 'page':
        return this.byPage(
          (cursor as Cursor<'page'>) ?? {
            type: 'page',
            page: p.firstPage,
            size: pageSize,
            anchor: null,
            stalls: 0,
          },
        );
      case 'offset':
        return this.byOffset(
          (cursor as Cursor<'offset'>) ?? {
            type: 'offset',
            offset: 0,
            anchor: null,
            restarts: 0,
            stalls: 0,
          },
          pageSize,
        );
      case 'cursor':
        return this.byCursor(cursor as Cursor<'cursor'> | null, pageSize);
      case 'link':
        return this.byLink(cursor as Cursor<'link'> | null, pageSize);
    }
  }

  private async byPage(at: Cursor<'page'>): Promise<ListPage> {
    const p = this.pagination as Extract<typeof this.pagination, { type: 'page' }>;
    const url = withQuery(this.listUrl(), { [p.pageParam]: at.page, [p.sizeParam]: at.size });
    const { records } = await this.getList(url);
    if (records.length === 0) return { entries: [], next: null };

    const start = this.indexAfterAnchor(records, at.anchor);
    const entries = this.entries(records, start, (i) => `page ${at.page} item ${i + 1}`);
    const stalls = this.stalled(entries, at.stalls, `page ${at.page}`);
    const anchor = this.anchorOf(records[records.length - 1]);
    return { entries, next: { ...at, page: at.page + 1, anchor, stalls } };
  }

  private async byOffset(at: Cursor<'offset'>, pageSize: number): Promise<ListPage> {
    const p = this.pagination as Extract<typeof this.pagination, { type: 'offset' }>;
    const overlap = at.anchor !== null && at.offset > 0 ? 1 : 0;
    const first = at.offset - overlap;
    const url = withQuery(this.listUrl(), {
      [p.offsetParam]: first,
      [p.limitParam]: pageSize + overlap,
    });
    const { records } = await this.getList(url);

    let start = 0;
    if (overlap === 1) {
      const found = records.findIndex((r) => this.anchorOf(r) === at.anchor);
      if (found === -1) return this.restart(at, p.maxRestarts);
      start = found + 1;
      // Nothing after the anchor on a short page: the list ends there.
      const short = records.length < pageSize + overlap;
      if (start === records.length && short) return { entries: [], next: null };
    } else if (records.length === 0) {
      return { entries: [], next: null };
    }

    const entries = this.entries(records, start, (i) => `offset ${first + i}`);
    const stalls = this.stalled(entries, at.stalls, `offset ${first}`);
    const anchor = this.anchorOf(records[records.length - 1]);
    return { entries, next: { ...at, offset: first + records.length, anchor, stalls } };
  }

  /** Records vanished ahead of the cursor: start over (the ledger counts repeats once). */
  private restart(at: Cursor<'offset'>, maxRestarts: number): ListPage {
    if (at.restarts >= maxRestarts) {
      throw new FatalConnectorError(
        `records kept disappearing ahead of the cursor while paging by offset ` +
          `(${at.restarts} restarts); records may have been missed. Run again when the list is ` +
          `quieter, or use cursor or Link paging if the API offers it`,
      );
    }
    const next: ListCursor = { ...at, offset: 0, anchor: null, restarts: at.restarts + 1 };
    return { entries: [], next: { ...next, stalls: 0 } };
  }

  private async byCursor(at: Cursor<'cursor'> | null, pageSize: number): Promise<ListPage> {
    const p = this.pagination as Extract<typeof this.pagination, { type: 'cursor' }>;
    const params: Record<string, string | number> = {};
    if (p.sizeParam) params[p.sizeParam] = pageSize;
    if (at) params[p.cursorParam] = at.cursor;
    const { records, json } = await this.getList(withQuery(this.listUrl(), params));

    const label = at ? `page at cursor ${short(at.cursor)}` : 'first page';
    const entries = this.entries(records, 0, (i) => `${label} item ${i + 1}`);
    const value = valueAt(json, p.cursorPath);
    if (value === undefined || value === null || value === '') return { entries, next: null };
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new FatalConnectorError(`the next cursor at ${p.cursorPath} is not a string or number`);
    }
    if (String(value) === at?.cursor) {
      throw new FatalConnectorError(`the API answered the same cursor again: ${short(at.cursor)}`);
    }
    return { entries, next: { type: 'cursor', cursor: String(value) } };
  }

  private async byLink(at: Cursor<'link'> | null, pageSize: number): Promise<ListPage> {
    const p = this.pagination as Extract<typeof this.pagination, { type: 'link' }>;
    const url =
      at?.url ?? withQuery(this.listUrl(), p.sizeParam ? { [p.sizeParam]: pageSize } : {});
    const { records, answer } = await this.getList(url);

    const entries = this.entries(records, 0, (i) => `page ${short(url)} item ${i + 1}`);
    const next = nextLink(answer, p.rel, url);
    if (next === null) return { entries, next: null };
    if (new URL(next).origin !== new URL(this.config.baseUrl).origin) {
      throw new FatalConnectorError(
        `the Link header points to another host (${new URL(next).origin}); ` +
          'credentials are sent only to baseUrl',
      );
    }
    if (next === url) throw new FatalConnectorError(`the Link header points to the same page`);
    return { entries, next: { type: 'link', url: next } };
  }

  private listUrl(): string {
    const sinceParam = this.config.list.since?.param;
    const query =
      sinceParam && this.since !== null
        ? { ...this.config.list.query, [sinceParam]: this.since }
        : this.config.list.query;
    return withQuery(expandUrl(this.config.baseUrl, this.config.list.path), query);
  }

  private async getList(url: string) {
    const answer = await this.client.send({ method: 'GET', url });
    if (answer.status >= 300) {
      throw new FatalConnectorError(
        `GET ${url} answered ${answer.status}: ${bodyPreview(answer.text, 300)} ` +
          '(check list.path and list.query)',
      );
    }
    if (answer.cut) {
      throw new FatalConnectorError(`GET ${url}: the page is too large; use a smaller page size`);
    }
    const parsed = parseJson(answer);
    if (!parsed.ok) {
      // A body that claims to be JSON but does not parse was most likely cut short on the way;
      // anything else (an HTML page, plain text) means the URL is not the API's list.
      if (claimsJson(answer)) {
        throw new TransientConnectorError(`GET ${url}: ${parsed.reason}`);
      }
      throw new FatalConnectorError(`GET ${url} did not answer JSON: ${parsed.reason}`);
    }
    const records = valueAt(parsed.value, this.config.list.recordsPath);
    if (!Array.isArray(records)) {
      throw new FatalConnectorError(
        `GET ${url}: the answer has no array at ${this.config.list.recordsPath} (check recordsPath)`,
      );
    }
    return { records: records as unknown[], json: parsed.value, answer };
  }

  private indexAfterAnchor(records: unknown[], anchor: string | null): number {
    if (anchor === null) return 0;
    return records.findIndex((r) => this.anchorOf(r) === anchor) + 1;
  }

  private entries(records: unknown[], start: number, locator: (i: number) => string): RawEntry[] {
    return records.slice(start).map((value, i) => ({ locator: locator(start + i), value }));
  }

  private stalled(entries: RawEntry[], stalls: number, where: string): number {
    if (entries.length > 0) return 0;
    if (stalls + 1 >= MAX_STALLS) {
      throw new FatalConnectorError(
        `${MAX_STALLS} pages in a row up to ${where} repeated records already read: ` +
          'the API seems to ignore the paging parameters',
      );
    }
    return stalls + 1;
  }

  /** A record's id, or a fingerprint of its content when it has none. */
  private anchorOf(record: unknown): string {
    const id =
      record !== null && typeof record === 'object' && !Array.isArray(record)
        ? readRecordId(record as Record<string, unknown>, this.idField)
        : null;
    if (id !== null) return `id:${id}`;
    return `sha256:${createHash('sha256')
      .update(JSON.stringify(record) ?? '')
      .digest('hex')}`;
  }
}

function nextLink(answer: HttpAnswer, rel: string, base: string): string | null {
  const value = answer.headers['link'];
  const text = Array.isArray(value) ? value.join(', ') : value;
  if (!text) return null;
  const [ref] = LinkHeader.parse(text).rel(rel);
  return ref ? new URL(ref.uri, base).toString() : null;
}

function short(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
