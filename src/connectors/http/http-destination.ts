import { createHash } from 'node:crypto';
import type {
  DestinationConnector,
  DestinationWriter,
  WriteItem,
  WriteOutcome,
} from '../connector';
import { RecordConnectorError } from '../connector-errors';
import { bulkOutcomes } from './bulk-results';
import { Credentials } from './http-auth';
import { bodyPreview, type HttpAnswer, parseJson, statusLine } from './http-answer';
import { HttpClient, type HttpRequest } from './http-client';
import {
  type BulkWrite,
  type HttpDestinationConfig,
  httpDestinationConfigSchema,
} from './http-destination-config';
import type { HttpTransport } from './http-transport';
import { expandUrl } from './url-template';
import { settleWrites } from './write-outcomes';

const MESSAGE_BODY_CHARS = 300;

/**
 * Writes records to a JSON REST API, one request per record or one per batch. Every request
 * carries an Idempotency-Key derived from the attempt, so a request repeated after a timeout
 * (that had in fact succeeded) is recognised by the application instead of writing twice.
 */
export function createHttpDestination(
  transport: HttpTransport,
): DestinationConnector<HttpDestinationConfig> & { close(): Promise<void> } {
  return {
    type: 'http',
    configSchema: httpDestinationConfigSchema,
    async openWriter(config, context) {
      const client = new HttpClient({
        dispatcher: transport.dispatcher,
        gate: transport.gates.for(config.baseUrl, config),
        credentials: Credentials.create(config.auth, context.secret),
        headers: config.headers,
        timeoutMs: config.timeoutMs,
        maxRetryAfterMs: config.maxRetryAfterMs,
        maxAnswerBytes: 16 * 1024 * 1024,
        signal: context.signal,
      });
      return new HttpWriter(client, config);
    },
    close: () => transport.close(),
  };
}

/** The Idempotency-Key for an attempt: a digest, since source ids may hold any character. */
export function idempotencyKey(attemptKeys: string[]): string {
  return createHash('sha256').update(attemptKeys.join('\n')).digest('base64url');
}

class HttpWriter implements DestinationWriter {
  constructor(
    private readonly client: HttpClient,
    private readonly config: HttpDestinationConfig,
  ) {}

  async writeBatch(items: WriteItem[]): Promise<WriteOutcome[]> {
    if (items.length === 0) return [];
    const { bulk } = this.config;
    if (bulk) {
      const chunks: WriteItem[][] = [];
      for (let i = 0; i < items.length; i += bulk.maxItems) {
        chunks.push(items.slice(i, i + bulk.maxItems));
      }
      return settleWrites(chunks.map((chunk) => this.writeChunk(bulk, chunk)));
    }
    return settleWrites(items.map(async (item) => [await this.writeOne(item)]));
  }

  async close() {}

  private async writeOne(item: WriteItem): Promise<WriteOutcome> {
    const write = this.config.write!;
    let url: string;
    try {
      url = expandUrl(this.config.baseUrl, write.path, item.sourceId);
    } catch (error) {
      if (!(error instanceof RecordConnectorError)) throw error;
      return { ok: false, error: error.message };
    }
    const req: HttpRequest = {
      method: write.method,
      url,
      headers: { 'idempotency-key': idempotencyKey([item.attemptKey]) },
      body: item.data,
    };
    const request = this.client.describe(req);
    const answer = await this.client.send(req);
    const response = this.client.describeAnswer(answer, this.config.maxErrorBodyChars);

    const refused = this.refusal(req, answer);
    if (refused !== null) return { ok: false, error: refused, request, response };
    return { ok: true, request, response };
  }

  private async writeChunk(bulk: BulkWrite, items: WriteItem[]): Promise<WriteOutcome[]> {
    const bodies = items.map((item) => item.data);
    const req: HttpRequest = {
      method: bulk.method,
      url: expandUrl(this.config.baseUrl, bulk.path),
      headers: { 'idempotency-key': idempotencyKey(items.map((i) => i.attemptKey)) },
      body: bulk.itemsField ? { [bulk.itemsField]: bodies } : bodies,
    };
    const shown = this.client.describe(req);
    const requestOf = (item: WriteItem, position: number) => ({
      ...shown,
      body: item.data,
      batch: { items: items.length, position },
    });
    const answer = await this.client.send(req);

    const refused = this.refusal(req, answer);
    if (refused !== null) {
      const response = this.client.describeAnswer(answer, this.config.maxErrorBodyChars);
      return items.map((item, i) => ({
        ok: false,
        error: refused,
        request: requestOf(item, i),
        response,
      }));
    }
    const json = (parseJson(answer) as { value: unknown }).value;
    const outcomes = bulkOutcomes(bulk, items, json, (item, index, result) => ({
      request: requestOf(item, index),
      response: { status: answer.status, result },
    }));
    if (typeof outcomes === 'string') {
      const response = this.client.describeAnswer(answer, this.config.maxErrorBodyChars);
      const error = `${req.method} ${req.url}: ${outcomes}`;
      return items.map((item, i) => ({ ok: false, error, request: requestOf(item, i), response }));
    }
    return outcomes;
  }

  /**
   * Why the destination refused the record(s), or null. The client has already thrown for the
   * answers that are not about this record (429, 5xx, 401, 403); what is left is this record's
   * own: a 4xx, or a success whose body is not JSON and so cannot be trusted.
   */
  private refusal(req: HttpRequest, answer: HttpAnswer): string | null {
    const what = `${req.method} ${req.url} answered ${statusLine(answer.status)}`;
    if (answer.status >= 400) {
      const body = this.client.scrub(bodyPreview(answer.text, MESSAGE_BODY_CHARS));
      return body ? `${what}: ${body}` : what;
    }
    const parsed = parseJson(answer);
    return parsed.ok ? null : `${what}, but ${parsed.reason}`;
  }
}
