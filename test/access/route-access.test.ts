import { ApiHarness } from '../api/api-harness';

let api: ApiHarness;

interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  role: 'viewer' | 'operator' | 'admin' | null;
  scope: 'any' | 'environment' | 'every-environment' | null;
}

const PUBLIC = ['get /healthz', 'get /readyz'];
let operations: Operation[] = [];
/** Concrete values for path parameters, by the path they appear in. */
let values: (path: string) => Record<string, string>;

beforeAll(async () => {
  api = await ApiHarness.start();
  const deployment = await api.deploy('alpha', 'orders');
  await api.deploy('beta', 'orders');
  const execution = await api.seedRun(deployment.id, [{ sourceId: 'r1', status: 'Failed' }]);
  api.probe.attach('alpha');
  const { body: resync } = await api.http
    .post(`/deployments/${encodeURIComponent(deployment.id)}/resyncs`)
    .send({ sourceIds: ['r1'] });
  const { body: spare } = await api.http.post('/tokens').send({ name: 'spare', role: 'viewer' });
  const none = { synced: 0, succeededOnRetry: 0, stillFailing: 0, topErrors: [] };
  const reportId = await api.stores.reports.insert({
    environment: 'alpha',
    periodStart: new Date(Date.now() - 86_400_000),
    periodEnd: new Date(),
    figures: { totals: none, deployments: [] },
  });
  values = (path) => ({
    name: path.startsWith('/processflows') ? 'orders' : 'alpha',
    env: 'alpha',
    processflow: 'orders',
    version: '1',
    sourceId: 'r1',
    id: path.startsWith('/deployments')
      ? encodeURIComponent(deployment.id)
      : path.startsWith('/executions')
        ? String(execution.id)
        : path.startsWith('/resyncs')
          ? resync.id
          : path.startsWith('/reports')
            ? String(reportId)
            : spare.token.id,
  });

  // The route list comes from the API's own description, so a new route cannot be forgotten.
  const { body: document } = await api.http.get('/openapi.json');
  operations = Object.entries(
    document.paths as Record<string, Record<string, Record<string, unknown>>>,
  ).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({
      method: method as Operation['method'],
      path,
      // A route described by hand without these is treated as the strictest reading allows.
      role: PUBLIC.includes(`${method} ${path}`)
        ? null
        : ((operation['x-required-role'] as Operation['role']) ?? 'viewer'),
      scope: (operation['x-token-scope'] as Operation['scope']) ?? 'any',
    })),
  );
});

afterAll(() => api?.stop());

function send(agent: ReturnType<ApiHarness['as']>, operation: Operation) {
  const given = values(operation.path);
  const url = operation.path.replace(/\{(\w+)\}/g, (_, key: string) => given[key]);
  return agent[operation.method](url);
}

const lowerRole = { viewer: null, operator: 'viewer', admin: 'operator' } as const;

describe('every route of the API', () => {
  it('is listed, with a required role for each guarded one', () => {
    expect(operations.length).toBeGreaterThanOrEqual(30);
    for (const operation of operations.filter((o) => o.role !== null)) {
      expect([operation.path, ['viewer', 'operator', 'admin'].includes(operation.role!)]).toEqual([
        operation.path,
        true,
      ]);
    }
  });

  it('answers 401 without a token, except liveness and readiness', async () => {
    for (const operation of operations) {
      const response = await send(api.anonymous as never, operation);
      const expected = operation.role === null ? 'open' : 401;
      const got = response.status === 401 ? 401 : 'open';
      expect([operation.method, operation.path, got]).toEqual([
        operation.method,
        operation.path,
        expected,
      ]);
      if (got === 401) {
        expect(response.type).toBe('application/problem+json');
        expect(response.headers['www-authenticate']).toBe('Bearer');
      }
    }
  });

  it('answers 401 for a token that is malformed, unknown or revoked', async () => {
    const revoked = await api.token('admin');
    const { body } = await api.http.get('/tokens');
    const id = body.tokens.at(-1).id;
    await api.http.delete(`/tokens/${id}`);
    const forged = revoked.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));

    for (const token of ['not-a-token', forged, revoked]) {
      for (const operation of operations.filter((o) => o.role !== null)) {
        const response = await send(api.as(token), operation);
        expect([operation.path, response.status]).toEqual([operation.path, 401]);
        expect(response.body.detail).toMatch(/^the API token is not valid/);
      }
    }
  });

  it('answers 403 to a token whose role is too low', async () => {
    const tokens = { viewer: await api.token('viewer'), operator: await api.token('operator') };
    for (const operation of operations.filter((o) => o.role && lowerRole[o.role])) {
      const lower = lowerRole[operation.role!]!;
      const response = await send(api.as(tokens[lower]), operation);
      expect([operation.method, operation.path, lower, response.status]).toEqual([
        operation.method,
        operation.path,
        lower,
        403,
      ]);
      expect(response.body.type).toBe('urn:processflow:problem:forbidden');
    }
  });

  it('answers 403 to a token of the right role scoped to another environment', async () => {
    const scoped = {
      viewer: await api.token('viewer', ['beta']),
      operator: await api.token('operator', ['beta']),
      admin: await api.token('admin', ['beta']),
    };
    const limited = operations.filter(
      (o) => o.role && (o.scope === 'environment' || o.scope === 'every-environment'),
    );
    expect(limited.length).toBeGreaterThanOrEqual(20);
    for (const operation of limited) {
      const response = await send(api.as(scoped[operation.role!]), operation);
      expect([operation.method, operation.path, response.status]).toEqual([
        operation.method,
        operation.path,
        403,
      ]);
    }
  });

  it('lets a token of the right role and scope through', async () => {
    const scoped = {
      viewer: await api.token('viewer', ['alpha']),
      operator: await api.token('operator', ['alpha']),
      admin: await api.token('admin'),
    };
    const unscoped = { viewer: await api.token('viewer'), operator: await api.token('operator') };
    for (const operation of operations.filter((o) => o.role !== null)) {
      const token =
        operation.scope === 'every-environment' && operation.role !== 'admin'
          ? unscoped[operation.role!]
          : scoped[operation.role!];
      const response = await send(api.as(token), operation);
      expect([operation.method, operation.path, [401, 403].includes(response.status)]).toEqual([
        operation.method,
        operation.path,
        false,
      ]);
    }
  });
});

describe('GET /environments', () => {
  it("lists only the environments in the token's scope", async () => {
    const response = await api.as(await api.token('viewer', ['beta'])).get('/environments');

    expect(response.body.environments.map((e: { name: string }) => e.name)).toEqual(['beta']);
  });
});
