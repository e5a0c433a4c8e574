import type { RecordStatus } from '../../src/domain/ledger';
import { ApiHarness, type SeededRecord } from './api-harness';

let api: ApiHarness;

/** Ids a source may hand us; each must reach the ledger and come back exactly. */
const awkwardIds = [
  'orders/2024/17',
  'invoice#42',
  '100% done',
  'with  two spaces',
  'caf\u00e9', // é precomposed (NFC)
  'cafe\u0301', // e + combining acute (NFD): looks the same, is another id
  'ÉCOLE-7',
  '..',
  'a+b?c=d&e',
];

const statuses: RecordStatus[] = ['Success', 'Failed', 'Unprocessed'];
const manyIds = Array.from({ length: 300 }, (_, i) => `rec-${String(i).padStart(4, '0')}`);

beforeAll(async () => {
  api = await ApiHarness.start();
  await api.deploy('production', 'orders');
  await api.seedRun(
    'orders@production',
    manyIds.map((sourceId, i) => ({ sourceId, status: statuses[i % 3] })),
  );
  await api.deploy('production', 'awkward');
  await api.seedRun(
    'awkward@production',
    awkwardIds.map((sourceId, i): SeededRecord => ({
      sourceId,
      status: i % 2 ? 'Failed' : 'Success',
    })),
  );
});

afterAll(() => api?.stop());

const ids = (body: { records: { sourceId: string }[] }) => body.records.map((r) => r.sourceId);
const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

async function syncInfo(deploymentId: string, query: Record<string, string | number> = {}) {
  const response = await api.http
    .get(`/deployments/${encodeURIComponent(deploymentId)}/sync-info`)
    .query(query);
  expect(response.status).toBe(200);
  return response.body;
}

async function allPages(deploymentId: string, query: Record<string, string | number>) {
  const seen: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const body = await syncInfo(deploymentId, { ...query, ...(after === null ? {} : { after }) });
    seen.push(...ids(body));
    after = body.nextAfter;
    pages += 1;
  } while (after !== null && pages < 1000);
  return { seen, pages };
}

describe('GET /deployments/:id/sync-info', () => {
  it('answers the header: processflow, description, environment and its status', async () => {
    const body = await syncInfo('orders@production', { limit: 1 });

    expect(body).toMatchObject({
      deploymentId: 'orders@production',
      processflowName: 'orders',
      version: 1,
      description: 'orders flow',
      deploymentStatus: 'deployed',
      environment: { name: 'production', active: false, agents: [] },
    });
  });

  it('shows the agents in the header when the environment is active', async () => {
    api.probe.attach('production', 'worker-7');
    try {
      const body = await syncInfo('orders@production', { limit: 1 });

      expect(body.environment).toMatchObject({ active: true, agents: [{ identity: 'worker-7' }] });
    } finally {
      api.probe.detach('production');
    }
  });

  it('answers each row with its status, tries, retry standing and last error', async () => {
    const body = await syncInfo('orders@production', { limit: 3 });

    expect(body.records).toEqual([
      expect.objectContaining({ sourceId: 'rec-0000', status: 'Success', tries: 1 }),
      expect.objectContaining({
        sourceId: 'rec-0001',
        nodeName: 'Orders file',
        status: 'Failed',
        tries: 1,
        lastAttemptAt: expect.any(String),
        lastAttemptKind: 'main',
        lastError: 'refused by the destination',
        lastErrorNode: 'Orders table',
        autoRetriesLeft: 4,
        nextRetryAt: null,
      }),
      expect.objectContaining({ sourceId: 'rec-0002', status: 'Unprocessed', tries: 0 }),
    ]);
  });

  it('pages through every row exactly once, in source-id order, 100 at a time by default', async () => {
    const { seen, pages } = await allPages('orders@production', {});

    expect(pages).toBe(3);
    expect(seen).toEqual(manyIds);
  });

  it('pages with small limits and a status filter without losing or repeating rows', async () => {
    const { seen } = await allPages('orders@production', { status: 'Failed', limit: 7 });

    expect(seen).toEqual(manyIds.filter((_, i) => statuses[i % 3] === 'Failed'));
  });

  it('answers nextAfter null on the last page', async () => {
    const body = await syncInfo('orders@production', { limit: 1000 });

    expect(body.records).toHaveLength(300);
    expect(body.nextAfter).toBeNull();
  });

  it('filters by several statuses, comma-separated or repeated', async () => {
    const comma = await syncInfo('orders@production', {
      status: 'Failed,Unprocessed',
      limit: 1000,
    });
    const repeated = await api.http
      .get('/deployments/orders@production/sync-info?status=Failed&status=Unprocessed&limit=1000')
      .expect(200);

    expect(comma.records).toHaveLength(200);
    expect(new Set(comma.records.map((r: { status: string }) => r.status))).toEqual(
      new Set(['Failed', 'Unprocessed']),
    );
    expect(ids(repeated.body)).toEqual(ids(comma));
  });

  it('filters by node name, exactly', async () => {
    await api.deploy('nodes', 'orders');
    await api.seedRun('orders@nodes', [
      { sourceId: '1', status: 'Failed', node: 'Orders file' },
      { sourceId: '2', status: 'Failed', node: 'Old orders file' },
    ]);

    const body = await syncInfo('orders@nodes', { node: 'Old orders file' });
    const partial = await syncInfo('orders@nodes', { node: 'orders' });

    expect(ids(body)).toEqual(['2']);
    expect(ids(partial)).toEqual([]);
  });

  it('filters by a case-insensitive substring of the source id', async () => {
    const body = await syncInfo('orders@production', { sourceId: 'REC-001', limit: 1000 });

    expect(ids(body)).toEqual(manyIds.filter((id) => id.startsWith('rec-001')));
  });

  it('treats % and _ in the source-id filter as themselves, not as wildcards', async () => {
    await api.deploy('wildcards', 'orders');
    await api.seedRun(
      'orders@wildcards',
      ['100%_off', '100x_off', '1000off', 'a_b', 'axb'].map((sourceId) => ({
        sourceId,
        status: 'Failed' as const,
      })),
    );

    const percent = await syncInfo('orders@wildcards', { sourceId: '%' });
    const underscore = await syncInfo('orders@wildcards', { sourceId: '_' });
    const both = await syncInfo('orders@wildcards', { sourceId: '0%_O' });

    expect(ids(percent)).toEqual(['100%_off']);
    expect(ids(underscore)).toEqual(['100%_off', '100x_off', 'a_b']);
    expect(ids(both)).toEqual(['100%_off']);
  });

  it('finds ids with slashes, hashes, spaces and accents by substring', async () => {
    expect(ids(await syncInfo('awkward@production', { sourceId: 's/2024/' }))).toEqual([
      'orders/2024/17',
    ]);
    expect(ids(await syncInfo('awkward@production', { sourceId: '#4' }))).toEqual(['invoice#42']);
    expect(ids(await syncInfo('awkward@production', { sourceId: '% d' }))).toEqual(['100% done']);
    expect(ids(await syncInfo('awkward@production', { sourceId: 'caf\u00e9' }))).toEqual([
      'caf\u00e9',
    ]);
    expect(ids(await syncInfo('awkward@production', { sourceId: 'cafe\u0301' }))).toEqual([
      'cafe\u0301',
    ]);
  });

  it('finds non-ASCII ids by substring whatever their case', async () => {
    expect(ids(await syncInfo('awkward@production', { sourceId: 'ÉCOLE' }))).toEqual(['ÉCOLE-7']);
    expect(ids(await syncInfo('awkward@production', { sourceId: 'école' }))).toEqual(['ÉCOLE-7']);
  });

  it('hands back cursors that are awkward ids themselves, and they work as `after`', async () => {
    const { seen, pages } = await allPages('awkward@production', { limit: 1 });

    expect(pages).toBe(awkwardIds.length);
    expect(seen).toEqual([...awkwardIds].sort(byBytes));
  });

  it('stays readable after the processflow is undeployed', async () => {
    await api.deploy('retired', 'orders');
    await api.seedRun('orders@retired', [{ sourceId: 'kept', status: 'Failed' }]);
    await api.http.delete('/environments/retired/deployments/orders').expect(200);

    const body = await syncInfo('orders@retired');

    expect(body.deploymentStatus).toBe('undeployed');
    expect(ids(body)).toEqual(['kept']);
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=1001', 'query.limit'],
    ['limit=ten', 'query.limit'],
    ['status=Broken', 'query.status.0'],
    ['status=Failed,Lost', 'query.status.1'],
    ['sourceId=', 'query.sourceId'],
    ['sort=desc', 'query.sort'],
  ])('answers 400 naming %s as %s', async (query, path) => {
    const response = await api.http.get(`/deployments/orders@production/sync-info?${query}`);

    expect(response.status).toBe(400);
    expect(response.type).toBe('application/problem+json');
    expect(paths(response.body)).toEqual([path]);
  });

  it('names every unknown query parameter and lists the known ones', async () => {
    const response = await api.http.get('/deployments/orders@production/sync-info?page=2&q=x');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      {
        path: 'query.page',
        message: 'unknown parameter; known: status, node, sourceId, limit, after',
      },
      {
        path: 'query.q',
        message: 'unknown parameter; known: status, node, sourceId, limit, after',
      },
    ]);
  });

  it('answers 404 for an unknown deployment', async () => {
    const response = await api.http.get('/deployments/nothing@production/sync-info');

    expect(response.status).toBe(404);
    expect(response.body.detail).toBe('deployment "nothing@production" does not exist');
  });
});

describe('GET /deployments/:id/records/:sourceId/snapshots', () => {
  const snapshotsOf = (deploymentId: string, sourceId: string, query = '') =>
    api.http.get(
      `/deployments/${encodeURIComponent(deploymentId)}/records/${encodeURIComponent(sourceId)}/snapshots${query}`,
    );

  it.each(awkwardIds.map((id) => [escape(id), id]))(
    'round-trips the source id %s exactly',
    async (_label, sourceId) => {
      const response = await snapshotsOf('awkward@production', sourceId);

      expect(response.status).toBe(200);
      expect(response.body.record.sourceId).toBe(sourceId);
      expect(response.body.snapshots.map((s: { sourceId: string }) => s.sourceId)).toEqual([
        sourceId,
      ]);
    },
  );

  it('keeps the NFC and NFD spellings of one word apart', async () => {
    const nfc = await snapshotsOf('awkward@production', 'caf\u00e9');
    const nfd = await snapshotsOf('awkward@production', 'cafe\u0301');

    expect(nfc.body.record.status).not.toBe(nfd.body.record.status);
    expect(nfc.body.record.sourceId.normalize('NFC')).toBe(
      nfd.body.record.sourceId.normalize('NFC'),
    );
  });

  it('lists snapshots newest first and pages with before', async () => {
    await api.deploy('history', 'orders');
    const runs = [];
    for (const status of ['Failed', 'Failed', 'Success'] as const) {
      runs.push(await api.seedRun('orders@history', [{ sourceId: 'x/1', status }]));
    }

    const first = await snapshotsOf('orders@history', 'x/1', '?limit=2');
    const second = await snapshotsOf(
      'orders@history',
      'x/1',
      `?limit=2&before=${first.body.nextBefore}`,
    );

    expect(first.body.snapshots.map((s: { executionId: number }) => s.executionId)).toEqual([
      runs[2].id,
      runs[1].id,
    ]);
    expect(first.body.snapshots[0]).toMatchObject({
      workflowId: runs[2].workflowId,
      attemptKind: 'main',
      status: 'Success',
    });
    expect(second.body.snapshots.map((s: { executionId: number }) => s.executionId)).toEqual([
      runs[0].id,
    ]);
    expect(second.body.nextBefore).toBeNull();
  });

  it("expands each node's input from the previous node's output; a filter passes the record on", async () => {
    await api.deploy('nodes-io', 'orders');
    const raw = { id: 7, total: '12.50' };
    const mapped = { id: 7, total: 12.5 };
    const nodes = [
      { node: 'Orders file', kind: 'source', output: raw, ms: 0 },
      { node: 'Shape', kind: 'map', output: mapped, ms: 1 },
      { node: 'Only paid', kind: 'filter', output: true, ms: 1 },
      {
        node: 'Orders table',
        kind: 'destination',
        request: { sql: 'insert' },
        response: { rowCount: 1 },
        ms: 3,
      },
    ];
    await api.seedRun('orders@nodes-io', [{ sourceId: '7', status: 'Success', nodes }]);

    const response = await snapshotsOf('orders@nodes-io', '7');

    expect(response.body.snapshots[0].nodes).toEqual([
      { node: 'Orders file', kind: 'source', output: raw, ms: 0 },
      { node: 'Shape', kind: 'map', input: raw, output: mapped, ms: 1 },
      { node: 'Only paid', kind: 'filter', input: mapped, output: true, ms: 1 },
      {
        node: 'Orders table',
        kind: 'destination',
        input: mapped,
        request: { sql: 'insert' },
        response: { rowCount: 1 },
        ms: 3,
      },
    ]);
  });

  it('answers 404 naming the record when it is not in the ledger', async () => {
    const response = await snapshotsOf('awkward@production', 'missing #1');

    expect(response.status).toBe(404);
    expect(response.body.detail).toBe(
      'record "missing #1" is not in the ledger of deployment "awkward@production"',
    );
  });

  it('answers 400 for a path segment that is not valid percent-encoding', async () => {
    const response = await api.http.get(
      '/deployments/awkward@production/records/%E0%A4%A/snapshots',
    );

    expect(response.status).toBe(400);
    expect(response.type).toBe('application/problem+json');
  });

  it('answers 400 naming query.before when it is not an id', async () => {
    const response = await snapshotsOf('awkward@production', 'invoice#42', '?before=-1');

    expect(response.status).toBe(400);
    expect(paths(response.body)).toEqual(['query.before']);
  });
});

/** Test titles that tell NFC from NFD. */
function escape(id: string): string {
  return id.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
