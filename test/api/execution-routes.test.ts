import { ApiHarness } from './api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
  await api.deploy('production', 'orders');
  await api.deploy('detached', 'orders');
});

afterAll(() => api?.stop());

beforeEach(() => {
  api.probe.attach('production');
  api.launcher.failWith = undefined;
});

const execute = (deploymentId: string) =>
  api.http.post(`/deployments/${encodeURIComponent(deploymentId)}/executions`);

describe('POST /deployments/:id/executions', () => {
  it('starts a main run and answers 202 with the running execution', async () => {
    const response = await execute('orders@production');

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      deploymentId: 'orders@production',
      kind: 'main',
      status: 'running',
      trigger: 'api',
      workflowId: expect.stringMatching(/^execution\/orders@production\/\d+$/),
      finishedAt: null,
    });
    expect(response.headers.location).toBe(`/executions/${response.body.id}`);
    expect(api.launcher.started.map((e) => e.id)).toContain(response.body.id);
  });

  it('refuses a body it would ignore, starting nothing', async () => {
    const before = api.launcher.started.length;

    const response = await api.http
      .post(`/deployments/${encodeURIComponent('orders@production')}/executions`)
      .send({ bogus: 1 });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { path: 'body', message: expect.stringMatching(/must be empty/) },
    ]);
    expect(api.launcher.started).toHaveLength(before);
  });

  it('answers 409 naming the environment when no agent is attached', async () => {
    const response = await execute('orders@detached');

    expect(response.status).toBe(409);
    expect(response.type).toBe('application/problem+json');
    expect(response.body.detail).toMatch(/environment "detached" has no agent attached/);
    expect(response.body.detail).toMatch(/npm run worker -- --environment detached/);
  });

  it('answers 503, not "no agent", when Temporal cannot be asked', async () => {
    api.probe.failWith = new Error('14 UNAVAILABLE: connection refused');
    try {
      const response = await execute('orders@production');

      expect(response.status).toBe(503);
      expect(response.type).toBe('application/problem+json');
      expect(response.body.detail).toMatch(/Temporal did not answer \(14 UNAVAILABLE/);
      expect(response.body.detail).not.toMatch(/no agent attached/);
    } finally {
      api.probe.failWith = undefined;
    }
  });

  it('answers 409 when the environment lost its agent', async () => {
    api.probe.detach('production');

    const response = await execute('orders@production');

    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/environment "production"/);
  });

  it('answers 409 for an undeployed processflow', async () => {
    await api.deploy('retired', 'orders');
    api.probe.attach('retired');
    await api.http.delete('/environments/retired/deployments/orders').expect(200);

    const response = await execute('orders@retired');

    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/undeployed: deploy it again/);
  });

  it('answers 404 for an unknown deployment', async () => {
    const response = await execute('nothing@production');

    expect(response.status).toBe(404);
  });

  it('answers 500 without the cause, and logs the cause with the same error id', async () => {
    api.launcher.failWith = new Error('connect to postgres://admin:s3cret@10.0.0.9 refused');

    const response = await execute('orders@production');

    expect(response.status).toBe(500);
    expect(response.type).toBe('application/problem+json');
    expect(JSON.stringify(response.body)).not.toMatch(/s3cret|postgres:|at .*\.ts/);
    expect(response.body.detail).toMatch(/quote the error id/);
    const logged = api.errorLog.find((line) => line.errorId === response.body.errorId);
    expect(logged).toMatchObject({ msg: 'request failed', err: { message: expect.any(String) } });
    expect(response.headers['x-request-id']).toBe(response.body.errorId);
  });
});

describe('GET /deployments/:id/executions', () => {
  it('lists executions newest first and pages with before', async () => {
    await api.deploy('paging', 'orders');
    api.probe.attach('paging');
    const ids: number[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await execute('orders@paging').expect(202)).body.id);

    const first = await api.http.get('/deployments/orders@paging/executions?limit=2');
    const second = await api.http.get(
      `/deployments/orders@paging/executions?limit=2&before=${first.body.nextBefore}`,
    );

    expect(first.status).toBe(200);
    expect(first.body.executions.map((e: { id: number }) => e.id)).toEqual([ids[2], ids[1]]);
    expect(second.body.executions.map((e: { id: number }) => e.id)).toEqual([ids[0]]);
    expect(second.body.nextBefore).toBeNull();
  });

  it('answers 400 naming an unknown query parameter', async () => {
    const response = await api.http.get('/deployments/orders@production/executions?after=3');

    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.after']);
  });

  it('answers 404 for an unknown deployment', async () => {
    const response = await api.http.get('/deployments/nothing@production/executions');

    expect(response.status).toBe(404);
  });
});

describe('GET /executions/:id', () => {
  it('answers the execution with its totals', async () => {
    const { body: started } = await execute('orders@production').expect(202);

    const response = await api.http.get(`/executions/${started.id}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(started);
  });

  it('answers 404 for an unknown id and 400 for one that is not a number', async () => {
    const unknown = await api.http.get('/executions/999999');
    const notANumber = await api.http.get('/executions/latest');

    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe('execution 999999 does not exist');
    expect(notANumber.status).toBe(400);
    expect(notANumber.body.errors[0].path).toBe('params.id');
  });
});

describe('POST /executions/:id/cancel', () => {
  it('asks the running execution to stop and answers 202', async () => {
    const { body: started } = await execute('orders@production').expect(202);

    const response = await api.http.post(`/executions/${started.id}/cancel`);

    expect(response.status).toBe(202);
    expect(response.body.id).toBe(started.id);
    expect(api.launcher.cancelled.map((e) => e.id)).toContain(started.id);
  });

  it('answers 409 when the execution already ended', async () => {
    const finished = await api.seedRun('orders@production', []);
    await api.stores.executions.finish(finished.id, 'completed');

    const response = await api.http.post(`/executions/${finished.id}/cancel`);

    expect(response.status).toBe(409);
    expect(response.body.detail).toBe(`execution ${finished.id} is completed, not running`);
  });
});

describe('GET /executions/:id/snapshots', () => {
  it("answers the execution's snapshots in source-id order and pages with after", async () => {
    await api.deploy('snapshots', 'orders');
    const run = await api.seedRun('orders@snapshots', [
      { sourceId: 'b#2', status: 'Failed' },
      { sourceId: 'a/1', status: 'Success' },
      { sourceId: 'c 3', status: 'Success' },
      { sourceId: 'd', status: 'Unprocessed' },
    ]);

    const first = await api.http.get(`/executions/${run.id}/snapshots?limit=2`);
    const second = await api.http
      .get(`/executions/${run.id}/snapshots`)
      .query({ limit: 2, after: first.body.nextAfter });

    expect(first.status).toBe(200);
    expect(first.body.execution).toMatchObject({ id: run.id, workflowId: run.workflowId });
    expect(first.body.snapshots.map((s: { sourceId: string }) => s.sourceId)).toEqual([
      'a/1',
      'b#2',
    ]);
    expect(first.body.nextAfter).toBe('b#2');
    expect(second.body.snapshots.map((s: { sourceId: string }) => s.sourceId)).toEqual(['c 3']);
    expect(second.body.nextAfter).toBeNull();
  });

  it('answers 404 for an unknown execution', async () => {
    const response = await api.http.get('/executions/999999/snapshots');

    expect(response.status).toBe(404);
  });
});
