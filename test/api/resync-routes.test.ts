import { ApiHarness } from './api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
  await api.deploy('production', 'orders');
  await api.seedRun('orders@production', [
    { sourceId: 'ok-1', status: 'Success' },
    { sourceId: 'bad/1', status: 'Failed' },
    { sourceId: 'bad#2', status: 'Failed', retryState: 'exhausted', autoRetriesUsed: 4 },
    { sourceId: 'BAD 3', status: 'Failed' },
    { sourceId: 'lost-4', status: 'Unprocessed' },
  ]);
  await api.deploy('detached', 'orders');
  await api.seedRun('orders@detached', [{ sourceId: 'x', status: 'Failed' }]);
});

afterAll(() => api?.stop());

beforeEach(() => api.probe.attach('production'));

const resync = (body: object, deploymentId = 'orders@production') =>
  api.http.post(`/deployments/${encodeURIComponent(deploymentId)}/resyncs`).send(body);

const itemIds = (body: { items: { sourceId: string }[] }) => body.items.map((i) => i.sourceId);
const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

describe('POST /deployments/:id/resyncs', () => {
  it('resyncs the named Failed and Unprocessed records, exhausted ones too, and answers 202', async () => {
    const response = await resync({
      sourceIds: ['bad/1', 'bad#2', 'lost-4', 'ok-1', 'never-seen'],
      requestedBy: 'ops@example',
    });

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      deploymentId: 'orders@production',
      status: 'running',
      total: 3,
      pending: 3,
      succeeded: 0,
      failed: 0,
      requestedBy: 'ops@example',
      workflowId: expect.stringMatching(/^execution\/orders@production\/\d+$/),
    });
    expect(response.headers.location).toBe(`/resyncs/${response.body.id}`);
    expect(api.launcher.resyncs.map((r) => r.resyncId)).toContain(response.body.id);
  });

  it('resyncs everything matching a filter, minus excluded ids', async () => {
    const response = await resync({
      filter: { status: ['Failed'], sourceId: 'bad' },
      excludeSourceIds: ['BAD 3'],
    });
    const items = await api.http.get(`/resyncs/${response.body.id}/items`);

    expect(response.status).toBe(202);
    expect(itemIds(items.body)).toEqual(['bad#2', 'bad/1']);
  });

  it('runs a request id once: the same id again answers 200 with the first resync', async () => {
    const first = await resync({ sourceIds: ['BAD 3'], requestId: 'ticket-81' });
    const again = await resync({ sourceIds: ['BAD 3'], requestId: 'ticket-81' });

    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(api.launcher.resyncs.filter((r) => r.resyncId === first.body.id)).toHaveLength(1);
  });

  it('answers 409 when the same request id comes with another selection', async () => {
    await resync({ sourceIds: ['BAD 3'], requestId: 'ticket-82' });

    const response = await resync({ sourceIds: ['bad/1'], requestId: 'ticket-82' });

    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(
      /request id "ticket-82" was used for a different selection/,
    );
  });

  it('starts one resync when the same request id arrives several times at once', async () => {
    const before = api.launcher.resyncs.length;

    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map(() => resync({ sourceIds: ['bad/1'], requestId: 'ticket-83' })),
    );

    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 202]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(api.launcher.resyncs).toHaveLength(before + 1);
  });

  it('refuses a selection that takes no record, naming the field, without starting a run', async () => {
    const before = api.launcher.resyncs.length;

    const byIds = await resync({ sourceIds: ['ok-1', 'unknown'] });
    const byFilter = await resync({ filter: { sourceId: 'matches-nothing' } });

    expect(byIds.status).toBe(400);
    expect(byIds.body.errors).toEqual([
      {
        path: 'body.sourceIds',
        message: expect.stringMatching(/selects no Failed or Unprocessed record/),
      },
    ]);
    expect(byFilter.status).toBe(400);
    expect(byFilter.body.errors[0].path).toBe('body.filter');
    expect(api.launcher.resyncs).toHaveLength(before);
  });

  it('answers 409 at once naming the environment when no agent is attached', async () => {
    const response = await resync({ sourceIds: ['x'] }, 'orders@detached');

    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/environment "detached" has no agent attached/);
  });

  it.each([
    [{}, ['body.sourceIds']],
    [{ sourceIds: ['a'], filter: {} }, ['body.sourceIds']],
    [{ sourceIds: [] }, ['body.sourceIds']],
    [{ sourceIds: ['a'], excludeSourceIds: ['b'] }, ['body.excludeSourceIds']],
    [{ filter: { status: ['Success'] } }, ['body.filter.status.0']],
    [{ filter: {}, everything: true }, ['body.everything']],
  ])('answers 400 for %j naming %j', async (body, expected) => {
    const response = await resync(body);

    expect(response.status).toBe(400);
    expect(paths(response.body)).toEqual(expected);
  });

  it('answers 404 for an unknown deployment', async () => {
    const response = await resync({ sourceIds: ['a'] }, 'nothing@production');

    expect(response.status).toBe(404);
  });
});

describe('POST /deployments/:id/resyncs/preview', () => {
  it('counts what a selection takes and names the given ids it would not take', async () => {
    const response = await api.http
      .post('/deployments/orders@production/resyncs/preview')
      .send({ sourceIds: ['bad/1', 'ok-1', 'never-seen', 'lost-4'] });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ matched: 2, notTaken: ['ok-1', 'never-seen'] });
  });

  it("takes a resync's whole body, its requestId included, and starts nothing", async () => {
    const before = api.launcher.resyncs.length;
    const response = await api.http
      .post('/deployments/orders@production/resyncs/preview')
      .send({ sourceIds: ['lost-4'], requestId: 'preview-first', requestedBy: 'ops' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ matched: 1, notTaken: [] });
    expect(api.launcher.resyncs).toHaveLength(before);
  });

  it('counts a filter', async () => {
    const response = await api.http
      .post('/deployments/orders@production/resyncs/preview')
      .send({ filter: { status: ['Unprocessed'] } });

    expect(response.body).toEqual({ matched: 1, notTaken: [] });
  });
});

describe('GET /resyncs/:id', () => {
  it('answers the progress of a resync', async () => {
    const { body: started } = await resync({ sourceIds: ['lost-4'] }).expect(202);

    const response = await api.http.get(`/resyncs/${started.id}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(started);
  });

  it('answers 404 for an unknown id and 400 for one that is not a uuid', async () => {
    const unknown = await api.http.get('/resyncs/5b1c9f0e-2c1a-4c55-9d43-2f6f0c8b7a10');
    const malformed = await api.http.get('/resyncs/17');

    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(400);
    expect(paths(malformed.body)).toEqual(['params.id']);
  });
});

describe('GET /resyncs/:id/items', () => {
  it('pages through the items in source-id order, filtered by status', async () => {
    const { body: started } = await resync({ filter: {} }).expect(202);

    const first = await api.http.get(`/resyncs/${started.id}/items?limit=2`);
    const second = await api.http
      .get(`/resyncs/${started.id}/items`)
      .query({ limit: 2, after: first.body.nextAfter });
    const done = await api.http.get(`/resyncs/${started.id}/items?status=Success`);

    expect(itemIds(first.body)).toEqual(['BAD 3', 'bad#2']);
    expect(itemIds(second.body)).toEqual(['bad/1', 'lost-4']);
    expect(second.body.nextAfter).toBeNull();
    expect(first.body.items[0]).toEqual({
      sourceId: 'BAD 3',
      status: 'pending',
      error: null,
      finishedAt: null,
    });
    expect(done.body.items).toEqual([]);
  });

  it('answers 400 for an unknown item status', async () => {
    const { body: started } = await resync({ sourceIds: ['bad/1'] }).expect(202);

    const response = await api.http.get(`/resyncs/${started.id}/items?status=Unprocessed`);

    expect(response.status).toBe(400);
    expect(paths(response.body)).toEqual(['query.status']);
  });
});
