import type { ProcessflowDefinition } from '../../../src/domain/processflow-definition';
import { ProcessflowHarness } from '../../helpers/processflow-harness';
import { setSecret, unsetSecret } from '../../helpers/secrets';
import { UNICODE_TWINS } from '../contract/contract-records';
import { FakeApp, type FakeRecord } from '../fake-app/fake-app';
import { fakeAuth, listConfig, SECRETS } from './http-fixtures';

const TOKEN_SECRET = 'END_TO_END_API_TOKEN';
const auth = { type: 'bearer', tokenSecret: TOKEN_SECRET } as const;

let harness: ProcessflowHarness;
let app: FakeApp;
let flows = 0;

beforeAll(async () => {
  setSecret(TOKEN_SECRET, SECRETS.API_TOKEN);
  app = await FakeApp.start(fakeAuth);
  harness = await ProcessflowHarness.start({ pageSize: 5 });
});

beforeEach(() => app.reset());

afterAll(async () => {
  await harness?.stop();
  await app?.close();
  unsetSecret(TOKEN_SECRET);
});

type Node = { node: string; request?: Record<string, unknown>; response?: Record<string, unknown> };

/** A flow from the fake application's list into a table of the test database. */
async function deployFromApp(style: 'page' | 'offset' | 'cursor' | 'link') {
  const table = `from_app_${++flows}`;
  await harness.db.knex.raw(`create table dest.${table} (id text primary key, name text)`);
  const deploymentId = await harness.deploy({
    name: `from-app-${flows}`,
    description: '',
    source: {
      name: 'Fake app',
      connector: 'http',
      config: { ...listConfig(app.url, style), auth },
      idField: 'id',
    },
    steps: [{ name: 'Map', type: 'map', expression: '{ "id": id, "name": name }' }],
    destination: {
      name: 'Test table',
      connector: 'postgres',
      config: { connectionSecret: harness.destinationSecret, schema: 'dest', table, key: ['id'] },
    },
  });
  return { deploymentId, table };
}

/** A flow from a JSON Lines file into the fake application. */
async function deployToApp(records: object[], write: object) {
  const file = `to-app-${++flows}.jsonl`;
  await harness.writeJsonLines(file, records);
  const definition: ProcessflowDefinition = {
    ...harness.definition(`to-app-${flows}`, file, 'unused'),
    steps: [{ name: 'Map', type: 'map', expression: '{ "key": id, "name": name }' }],
    destination: {
      name: 'Fake app',
      connector: 'http',
      config: { baseUrl: app.url, auth, timeoutMs: 500, ...write },
    },
  };
  return harness.deploy(definition);
}

const people = (count: number): FakeRecord[] =>
  Array.from({ length: count }, (_, i) => ({ id: `p${i + 1}`, name: `person ${i + 1}` }));

const isListPage = (path: string) => path.endsWith('/records') || path === '/paged/records';

describe('reading a list that grows at the front during the run', () => {
  it.each(['cursor', 'offset'] as const)(
    'records every original record once with %s paging, ids exactly as sent',
    async (style) => {
      const original = [...people(9), { id: 'a/b #1', name: 'slash' }, ...twins()];
      app.seed(original);
      app.beforeListPage = (page) => {
        if (page > 1) ['x', 'y'].forEach((n) => app.insertFront({ id: `${n}${page}`, name: n }));
      };
      const { deploymentId, table } = await deployFromApp(style);

      const execution = await harness.run(deploymentId);

      expect(execution).toMatchObject({ status: 'completed', recordsFetched: original.length });
      const rows = await harness.ledger(deploymentId);
      expect(rows.map((r) => r.source_id).sort()).toEqual(original.map((r) => r.id).sort());
      expect(rows.every((r) => r.status === 'Success' && r.tries === 1)).toBe(true);
      expect(await harness.db.knex(`dest.${table}`).count()).toEqual([
        { count: String(original.length) },
      ]);
      const snapshots = await harness.snapshots(deploymentId);
      expect(snapshots).toHaveLength(original.length);
      expect(snapshots.map((s) => s.source_id)).toContain(UNICODE_TWINS.nfd);
    },
  );
});

describe('a record the API hands over on two pages', () => {
  it('is one ledger row with one try and one snapshot', async () => {
    const list = people(8);
    app.seed([...list.slice(0, 7), list[2], list[7]]);
    const { deploymentId } = await deployFromApp('cursor');

    const execution = await harness.run(deploymentId);

    expect(execution).toMatchObject({
      status: 'completed',
      recordsFetched: 8,
      recordsSucceeded: 8,
    });
    const rows = await harness.ledger(deploymentId);
    expect(rows.filter((r) => r.source_id === 'p3')).toEqual([
      expect.objectContaining({ status: 'Success', tries: 1 }),
    ]);
    const snapshots = await harness.snapshots(deploymentId);
    expect(snapshots.filter((s) => s.source_id === 'p3')).toHaveLength(1);
  });
});

describe('a 429 storm', () => {
  it('waits as long as each Retry-After asks, and the run completes', async () => {
    app.seed(people(4));
    const waits = ['1', () => new Date(Date.now() + 2_000).toUTCString(), '1'];
    for (const wait of waits) {
      app.failNext(
        1,
        () => ({
          status: 429,
          headers: { 'retry-after': typeof wait === 'string' ? wait : wait() },
        }),
        (req) => isListPage(req.path),
      );
    }
    const { deploymentId } = await deployFromApp('cursor');

    const execution = await harness.run(deploymentId);

    expect(execution).toMatchObject({
      status: 'completed',
      recordsFetched: 4,
      recordsSucceeded: 4,
    });
    const attempts = app.requests.filter((r) => isListPage(r.path)).map((r) => r.at);
    const gaps = attempts.slice(1, 4).map((at, i) => at - attempts[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(950);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_000); // an HTTP date has whole seconds
    expect(gaps[2]).toBeGreaterThanOrEqual(950);
    const rows = await harness.ledger(deploymentId);
    expect(rows.map((r) => [r.status, r.tries])).toEqual(Array(4).fill(['Success', 1]));
  });
});

describe('a write that times out after it succeeded', () => {
  it('leaves exactly one record at the application, thanks to the Idempotency-Key', async () => {
    const records = [
      { id: 'a', name: 'Ada' },
      { id: 'b', name: 'Bo' },
      { id: 'c', name: 'Cy' },
    ];
    app.answerWritesLate(1, 2_000);
    const deploymentId = await deployToApp(records, {
      write: { method: 'POST', path: '/records' },
    });

    const execution = await harness.run(deploymentId);

    expect(execution).toMatchObject({ status: 'completed', recordsSucceeded: 3 });
    expect(app.created.map((r) => r.key).sort()).toEqual(['a', 'b', 'c']);
    const posts = app.writesTo('/records');
    const keys = posts.map((p) => p.headers['idempotency-key']);
    expect(posts.length).toBeGreaterThan(3);
    expect(new Set(keys).size).toBe(3);
    const rows = await harness.ledger(deploymentId);
    expect(rows.map((r) => [r.source_id, r.status, r.tries])).toEqual([
      ['a', 'Success', 1],
      ['b', 'Success', 1],
      ['c', 'Success', 1],
    ]);
    const [snapshot] = await harness.snapshots(deploymentId);
    const destination = (snapshot.nodes as Node[]).at(-1)!;
    expect(destination.request).toMatchObject({
      method: 'POST',
      headers: { authorization: '[redacted]', 'idempotency-key': expect.any(String) },
    });
    expect(JSON.stringify(snapshot.nodes)).not.toContain(SECRETS.API_TOKEN);
  });
});

describe('a partially accepted bulk write', () => {
  it('records each item as the answer judged it', async () => {
    const records = [
      { id: 'a', name: 'Ada' },
      { id: 'b', name: null },
      { id: 'c', name: 'Cy' },
      { id: 'd', name: '' },
    ];
    const deploymentId = await deployToApp(records, {
      bulk: {
        path: '/records/bulk',
        itemsField: 'items',
        resultsPath: '$.results',
        match: { by: 'field', resultField: 'key' },
      },
    });

    const execution = await harness.run(deploymentId);

    expect(execution).toMatchObject({ status: 'completed', recordsSucceeded: 2, recordsFailed: 2 });
    const rows = await harness.ledger(deploymentId);
    expect(rows.map((r) => [r.source_id, r.status, r.last_error, r.last_error_node])).toEqual([
      ['a', 'Success', null, null],
      ['b', 'Failed', 'name is required', 'Fake app'],
      ['c', 'Success', null, null],
      ['d', 'Failed', 'name is required', 'Fake app'],
    ]);
    expect([...app.stored.keys()].sort()).toEqual(['a', 'c']);
    const snapshots = await harness.snapshots(deploymentId);
    const b = snapshots.find((s) => s.source_id === 'b')!;
    expect((b.nodes as Node[]).at(-1)!.response).toEqual({
      status: 207,
      result: { key: 'b', error: 'name is required' },
    });
  });
});

describe('answers that are not JSON', () => {
  it('fail the one record whose write was answered with HTML, keeping the answer', async () => {
    app.failNext(
      1,
      { status: 200, contentType: 'text/html', body: '<html><body>Thanks!</body></html>' },
      (req) => req.method === 'PUT' && req.path === '/records/b',
    );
    const deploymentId = await deployToApp(
      [
        { id: 'a', name: 'Ada' },
        { id: 'b', name: 'Bo' },
      ],
      { write: { method: 'PUT', path: '/records/{id}' } },
    );

    await harness.run(deploymentId);

    const rows = await harness.ledger(deploymentId);
    expect(rows.map((r) => [r.source_id, r.status])).toEqual([
      ['a', 'Success'],
      ['b', 'Failed'],
    ]);
    expect(rows[1].last_error).toMatch(/answered 200 OK, but the body \(text\/html\) is not JSON/);
    const snapshot = (await harness.snapshots(deploymentId)).find((s) => s.source_id === 'b')!;
    expect((snapshot.nodes as Node[]).at(-1)!.response).toMatchObject({
      status: 200,
      body: '<html><body>Thanks!</body></html>',
    });
  });

  it('stop the run when the list itself is answered with HTML', async () => {
    app.seed(people(3));
    app.failNext(1, { status: 200, contentType: 'text/html', body: '<html>Log in</html>' });
    const { deploymentId } = await deployFromApp('page');

    const execution = await harness.run(deploymentId);

    expect(execution.status).toBe('failed');
    expect(execution.error).toMatch(/did not answer JSON: the body \(text\/html\) is not JSON/);
    expect(await harness.ledger(deploymentId)).toEqual([]);
  });
});

function twins(): FakeRecord[] {
  return [
    { id: UNICODE_TWINS.nfc, name: 'composed' },
    { id: UNICODE_TWINS.nfd, name: 'decomposed' },
  ];
}
