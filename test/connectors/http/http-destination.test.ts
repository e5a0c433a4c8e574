import type { WriteOutcome } from '../../../src/connectors/connector';
import type { TransientConnectorError } from '../../../src/connectors/connector-errors';
import { idempotencyKey } from '../../../src/connectors/http/http-destination';
import { openDestination } from '../contract/connector-context';
import { expectConnectorError } from '../contract/contract-records';
import { item } from '../contract/destination-contract';
import { FakeApp } from '../fake-app/fake-app';
import { bearer, fakeAuth, httpConnectors, SECRETS } from './http-fixtures';

let app: FakeApp;
let http: ReturnType<typeof httpConnectors>;

beforeAll(async () => {
  app = await FakeApp.start(fakeAuth);
});

// A fresh transport per check: a Retry-After shuts the gate to the application for its wait.
beforeEach(() => {
  app.reset();
  http = httpConnectors();
});

afterEach(() => http.close());

afterAll(() => app?.close());

const put = (overrides: object = {}) => ({
  baseUrl: app.url,
  auth: bearer,
  timeoutMs: 1_000,
  write: { method: 'PUT', path: '/records/{id}' },
  ...overrides,
});

const open = (config: object, secrets = SECRETS) =>
  openDestination(http.destination, config, http.context(secrets));

const failed = (outcome: WriteOutcome) => outcome as Extract<WriteOutcome, { ok: false }>;

describe('one request per record', () => {
  it('sends an Idempotency-Key per attempt and shows the request with secrets redacted', async () => {
    const writer = await open(put());

    const [outcome] = await writer.writeBatch([item('a/b', 'Ada')]);

    const key = idempotencyKey(['contract@test/a/b/1']);
    expect(app.writesTo('/records/a%2Fb')[0].headers['idempotency-key']).toBe(key);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(outcome).toMatchObject({
      ok: true,
      request: {
        method: 'PUT',
        url: `${app.url}/records/a%2Fb`,
        headers: { authorization: '[redacted]', 'idempotency-key': key },
        body: { key: 'a/b', name: 'Ada' },
      },
      response: { status: 201, body: { id: 'a/b', key: 'a/b', name: 'Ada' } },
    });
    expect(JSON.stringify(outcome)).not.toContain(SECRETS.API_TOKEN);
  });

  it('fails a record the application refuses, keeping status and the start of the body', async () => {
    app.failNext(1, { status: 400, body: JSON.stringify({ error: 'x'.repeat(5_000) }) });
    const writer = await open(put({ maxErrorBodyChars: 100 }));

    const [outcome] = await writer.writeBatch([item('a', 'Ada')]);

    expect(outcome.ok).toBe(false);
    expect(failed(outcome).error).toMatch(/^PUT .*\/records\/a answered 400 Bad Request: \{"error/);
    expect(outcome.response).toMatchObject({ status: 400 });
    const body = (outcome.response as { body: string }).body;
    expect(body).toMatch(/^\{"error":"x+… \(5012 chars\)$/);
    expect(body.length).toBeLessThan(130);
  });

  it('fails a record whose success answer is not JSON', async () => {
    app.failNext(1, { status: 200, contentType: 'text/html', body: '<html>Saved!</html>' });
    const writer = await open(put());

    const [outcome] = await writer.writeBatch([item('a', 'Ada')]);

    expect(failed(outcome).error).toMatch(
      /answered 200 OK, but the body \(text\/html\) is not JSON/,
    );
    expect(outcome.response).toMatchObject({ status: 200, body: '<html>Saved!</html>' });
  });

  it('takes an empty success answer as written', async () => {
    app.failNext(1, { status: 204 });
    const writer = await open(put());

    const [outcome] = await writer.writeBatch([item('a', 'Ada')]);

    expect(outcome.ok).toBe(true);
  });

  it('stops on rejected credentials without leaking them', async () => {
    const writer = await open(put(), { ...SECRETS, API_TOKEN: 'wrong-token-123' });

    const error = await expectConnectorError(() => writer.writeBatch([item('a', 'A')]), 'fatal');

    expect(error.message).not.toContain('wrong-token-123');
  });

  it('asks to be retried after the Retry-After of a 429', async () => {
    app.failNext(1, { status: 429, headers: { 'retry-after': '3' } });
    const writer = await open(put());

    const error = await expectConnectorError(
      () => writer.writeBatch([item('a', 'A'), item('b', 'B')]),
      'transient',
    );

    expect((error as TransientConnectorError).retryAfterMs).toBe(3_000);
  });

  it('writes once when a write that timed out is sent again with its key', async () => {
    app.answerWritesLate(1, 1_500);
    const writer = await open(put({ write: { method: 'POST', path: '/records' }, timeoutMs: 300 }));

    const timedOut = await expectConnectorError(
      () => writer.writeBatch([item('a', 'Ada')]),
      'transient',
    );
    const [retried] = await writer.writeBatch([item('a', 'Ada')]);

    expect(timedOut.message).toMatch(/got no answer within 300 ms/);
    expect(retried.ok).toBe(true);
    expect(app.created).toEqual([{ key: 'a', name: 'Ada' }]);
    expect(app.writesTo('/records')).toHaveLength(2);
  });

  it('keeps to the configured concurrency and rate', async () => {
    app.writeDelayMs = 50;
    const writer = await open(put({ concurrency: 2, ratePerSecond: 20 }));
    const started = Date.now();

    const outcomes = await writer.writeBatch(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => item(id, id)),
    );

    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(app.maxInFlight).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 50);
  });
});

describe('bulk writes', () => {
  const bulk = (match: object) =>
    put({
      write: undefined,
      bulk: {
        path: '/records/bulk',
        itemsField: 'items',
        resultsPath: '$.results',
        match,
        maxItems: 2,
      },
    });

  it('gives each item its own outcome from a partly accepted batch', async () => {
    const writer = await open(bulk({ by: 'field', resultField: 'key' }));

    const outcomes = await writer.writeBatch([item('a', 'Ada'), item('b', null), item('c', 'Cy')]);

    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(failed(outcomes[1]).error).toBe('name is required');
    expect(outcomes[1].response).toEqual({
      status: 207,
      result: { key: 'b', error: 'name is required' },
    });
    expect(outcomes[1].request).toMatchObject({
      body: { key: 'b', name: null },
      batch: { position: 1 },
    });
    expect([...app.stored.keys()].sort()).toEqual(['a', 'c']);
    expect(app.writesTo('/records/bulk')).toHaveLength(2);
  });

  it('fails the items an answer says nothing about', async () => {
    app.failNext(1, { status: 200, body: '{"results": [{"key": "a", "status": "created"}]}' });
    const writer = await open(bulk({ by: 'field', resultField: 'key' }));

    const outcomes = await writer.writeBatch([item('a', 'Ada'), item('b', 'Bo')]);

    expect(outcomes.map((o) => o.ok)).toEqual([true, false]);
    expect(failed(outcomes[1]).error).toBe('the bulk answer has no result for this record');
  });

  it('fails every item of a batch whose answer is not JSON', async () => {
    app.failNext(1, { status: 200, contentType: 'text/plain', body: 'accepted' });
    const writer = await open(bulk({ by: 'position' }));

    const outcomes = await writer.writeBatch([item('a', 'Ada'), item('b', 'Bo')]);

    expect(outcomes.map((o) => o.ok)).toEqual([false, false]);
    expect(failed(outcomes[0]).error).toMatch(/the body \(text\/plain\) is not JSON/);
  });
});
