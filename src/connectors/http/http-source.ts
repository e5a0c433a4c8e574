import { laterMark } from '../../domain/high-water-mark';
import type { ConnectorContext, SourceConnector, SourceReader, SourceRecord } from '../connector';
import {
  FatalConnectorError,
  RecordConnectorError,
  TransientConnectorError,
} from '../connector-errors';
import { valueAt } from '../json-path';
import { readRecordId } from '../record-id';
import { toSourceItems } from '../source-items';
import { Credentials } from './http-auth';
import { claimsJson, parseJson, statusLine } from './http-answer';
import { HttpClient } from './http-client';
import { type HttpSourceConfig, httpSourceConfigSchema } from './http-source-config';
import type { HttpTransport } from './http-transport';
import { decodeListCursor, encodeListCursor } from './list-cursor';
import { ListPager } from './list-pages';
import { expandUrl } from './url-template';

export interface HttpSourceOptions {
  /** A record larger than this becomes a reject instead of a record. */
  maxRecordBytes: number;
  /** A list page larger than this is refused. */
  maxAnswerBytes?: number;
}

/** Answers to a get-by-id that mean "no such record". */
const ABSENT = new Set([400, 404, 410, 422]);

/** Reads records from a JSON REST API: a paged list, and one record by id for resyncs. */
export function createHttpSource(
  transport: HttpTransport,
  options: HttpSourceOptions,
): SourceConnector<HttpSourceConfig> & { close(): Promise<void> } {
  return {
    type: 'http',
    configSchema: httpSourceConfigSchema,
    incremental: (config) => config.list.since !== undefined,
    async openReader(config, idField, context) {
      const client = new HttpClient({
        dispatcher: transport.dispatcher,
        gate: transport.gates.for(config.baseUrl, config),
        credentials: Credentials.create(config.auth, context.secret),
        headers: config.headers,
        timeoutMs: config.timeoutMs,
        maxRetryAfterMs: config.maxRetryAfterMs,
        maxAnswerBytes: options.maxAnswerBytes ?? 64 * 1024 * 1024,
        signal: context.signal,
      });
      return new HttpReader(client, config, idField, options.maxRecordBytes, context);
    },
    close: () => transport.close(),
  };
}

class HttpReader implements SourceReader {
  private readonly pager: ListPager;

  constructor(
    private readonly client: HttpClient,
    private readonly config: HttpSourceConfig,
    private readonly idField: string,
    private readonly maxRecordBytes: number,
    private readonly context: ConnectorContext,
  ) {
    this.pager = new ListPager(client, config, idField);
  }

  async listPage(cursor: string | null, pageSize: number, since: string | null = null) {
    const page = await this.pager.fetch(
      cursor === null ? null : decodeListCursor(cursor),
      pageSize,
      since,
    );
    const items = toSourceItems(page.entries, this.idField, this.maxRecordBytes);
    const markPath = this.config.list.since?.markPath;
    if (!markPath) return { ...items, nextCursor: encodeListCursor(page.next) };
    let highWaterMark: string | null = null;
    for (const { data } of items.records) {
      const mark = valueAt(data, markPath);
      if (typeof mark === 'string' || typeof mark === 'number') {
        highWaterMark = laterMark(highWaterMark, String(mark));
      }
    }
    return { ...items, nextCursor: encodeListCursor(page.next), highWaterMark };
  }

  async getByIds(ids: string[]) {
    if (!this.config.get) return this.findByListing(ids);
    const found = new Map<string, SourceRecord>();
    const settled = await Promise.allSettled(
      ids.map(async (id) => {
        const record = await this.getOne(id);
        if (record) found.set(id, record);
      }),
    );
    const failure = settled.find((s) => s.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
    return found;
  }

  async close() {}

  private async getOne(id: string): Promise<SourceRecord | undefined> {
    const get = this.config.get!;
    let url: string;
    try {
      url = expandUrl(this.config.baseUrl, get.path, id);
    } catch (error) {
      if (error instanceof RecordConnectorError) return undefined; // no URL can name it
      throw error;
    }
    const answer = await this.client.send({ method: 'GET', url });
    if (ABSENT.has(answer.status)) return undefined;
    if (answer.status >= 300) {
      throw new FatalConnectorError(`GET ${url} answered ${statusLine(answer.status)}`);
    }
    const parsed = parseJson(answer);
    if (!parsed.ok) {
      const message = `GET ${url}: ${parsed.reason}`;
      throw claimsJson(answer)
        ? new TransientConnectorError(message)
        : new FatalConnectorError(message);
    }
    const record = valueAt(parsed.value, get.recordPath);
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
    // An API that normalises ids (case, Unicode form) may answer with a different record: that
    // one is not the record asked for.
    const answeredId = readRecordId(record as SourceRecord, this.idField);
    return answeredId === null || answeredId === id ? (record as SourceRecord) : undefined;
  }

  /** Without a get-by-id URL, records are found by reading the whole list. */
  private async findByListing(ids: string[]) {
    const wanted = new Set(ids);
    const found = new Map<string, SourceRecord>();
    let cursor: string | null = null;
    do {
      this.context.signal.throwIfAborted();
      const page = await this.listPage(cursor, 500);
      for (const record of page.records)
        if (wanted.has(record.id)) found.set(record.id, record.data);
      cursor = page.nextCursor;
    } while (cursor !== null && found.size < wanted.size);
    return found;
  }
}
