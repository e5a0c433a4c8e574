import type { Dispatcher } from 'undici';
import { request } from 'undici';
import { FatalConnectorError, TransientConnectorError } from '../connector-errors';
import type { Credentials } from './http-auth';
import { bodyPreview, header, type HttpAnswer, parseJson, statusLine } from './http-answer';
import { parseRetryAfter } from './retry-after';
import type { RequestGate } from './request-gates';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
}

export interface HttpClientOptions {
  dispatcher: Dispatcher;
  gate: RequestGate;
  credentials: Credentials;
  /** Fixed headers from the config. */
  headers: Record<string, string>;
  timeoutMs: number;
  maxRetryAfterMs: number;
  /** Answers longer than this are cut (and a list page that long is refused). */
  maxAnswerBytes: number;
  signal: AbortSignal;
}

const MESSAGE_BODY_CHARS = 300;

/** Connection faults that say nothing about our request: try again later. */
const TLS_CODES = /^(CERT_|ERR_TLS_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT|UNABLE_TO_)/;

/**
 * Sends requests to one application through its gate and sorts what comes back. Answered:
 * 2xx, and 4xx other than 401, 403, 408 and 429, which the caller judges. Thrown: 429, 408, 5xx,
 * timeouts and network faults as transient (with Retry-After when given); 401, 403, redirects
 * and certificate faults as fatal, since every other request would fail the same way.
 */
export class HttpClient {
  constructor(private readonly options: HttpClientOptions) {}

  /** The headers a request goes out with. */
  headersFor(req: HttpRequest): Record<string, string> {
    return {
      accept: 'application/json',
      ...lowerCaseKeys(this.options.headers),
      ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...lowerCaseKeys(req.headers ?? {}),
      ...this.options.credentials.headers,
    };
  }

  /** The request as a snapshot may show it: secret headers redacted. */
  describe(req: HttpRequest): Record<string, unknown> {
    return {
      method: req.method,
      url: req.url,
      headers: this.options.credentials.redactHeaders(this.headersFor(req)),
      ...(req.body !== undefined ? { body: req.body } : {}),
    };
  }

  /**
   * An answer as a snapshot may show it: a success's JSON as sent, any other body cut to
   * `maxChars`, and any secret the application echoed cut out.
   */
  describeAnswer(answer: HttpAnswer, maxChars: number): Record<string, unknown> {
    const { credentials } = this.options;
    const parsed = parseJson(answer);
    const whole = answer.status < 300 || answer.text.length <= maxChars;
    const body =
      parsed.ok && whole
        ? credentials.scrubValue(parsed.value)
        : credentials.scrub(bodyPreview(answer.text, maxChars));
    const type = header(answer, 'content-type');
    return { status: answer.status, ...(type ? { contentType: type } : {}), body };
  }

  /** Text with the secrets of this connection cut out. */
  scrub(text: string): string {
    return this.options.credentials.scrub(text);
  }

  async send(req: HttpRequest): Promise<HttpAnswer> {
    const { gate, signal } = this.options;
    const answer = await gate.run(signal, () => this.exchange(req));
    return this.judge(req, answer);
  }

  private async exchange(req: HttpRequest): Promise<HttpAnswer> {
    const { dispatcher, timeoutMs, signal } = this.options;
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const res = await request(req.url, {
        method: req.method,
        headers: this.headersFor(req),
        body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
        dispatcher,
        signal: AbortSignal.any([signal, timeout]),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const { text, cut } = await readCapped(res.body, this.options.maxAnswerBytes);
      return { status: res.statusCode, headers: res.headers, text, cut };
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      throw this.networkFault(req, error, timeout.aborted);
    }
  }

  private judge(req: HttpRequest, answer: HttpAnswer): HttpAnswer {
    const { status } = answer;
    if (status >= 200 && status < 300) return answer;
    const what = `${req.method} ${req.url} answered ${statusLine(status)}`;
    const body = this.options.credentials.scrub(bodyPreview(answer.text, MESSAGE_BODY_CHARS));
    const message = body ? `${what}: ${body}` : what;

    if (status === 429 || status === 408 || status >= 500) {
      const asked = parseRetryAfter(header(answer, 'retry-after'));
      const wait = asked === undefined ? undefined : Math.min(asked, this.options.maxRetryAfterMs);
      if (wait !== undefined) this.options.gate.pauseFor(wait);
      return throwing(new TransientConnectorError(message, wait));
    }
    if (status === 401 || status === 403) {
      return throwing(
        new FatalConnectorError(`${message} (check the credentials and their permissions)`),
      );
    }
    if (status >= 300 && status < 400) {
      const location = header(answer, 'location');
      return throwing(
        new FatalConnectorError(
          `${what}${location ? ` to ${location}` : ''}; redirects are not followed: use the final address`,
        ),
      );
    }
    return answer;
  }

  private networkFault(req: HttpRequest, error: unknown, timedOut: boolean): Error {
    const what = `${req.method} ${req.url}`;
    if (timedOut) {
      return new TransientConnectorError(
        `${what} got no answer within ${this.options.timeoutMs} ms`,
        undefined,
        { cause: error },
      );
    }
    const e = error as { code?: string; message?: string };
    const detail = this.options.credentials.scrub(e.message ?? String(error));
    if (e.code && TLS_CODES.test(e.code)) {
      return new FatalConnectorError(`${what} failed: ${detail} (${e.code})`, { cause: error });
    }
    if (e.code === 'ERR_INVALID_URL' || e.code === 'UND_ERR_INVALID_ARG') {
      return new FatalConnectorError(`${what} cannot be sent: ${detail}`, { cause: error });
    }
    const code = e.code ? ` (${e.code})` : '';
    return new TransientConnectorError(`${what} failed: ${detail}${code}`, undefined, {
      cause: error,
    });
  }
}

function throwing(error: Error): never {
  throw error;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): void },
  maxBytes: number,
): Promise<{ text: string; cut: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return { text: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'), cut: true };
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), cut: false };
}
