import type { Express } from 'express';
import { ApiHarness } from './api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});

afterAll(() => api?.stop());

/** Every route the product promises, in OpenAPI form. */
const promisedRoutes = [
  'post /processflows',
  'put /processflows/{name}',
  'get /processflows',
  'get /processflows/{name}',
  'get /processflows/{name}/versions/{version}',
  'put /environments/{name}',
  'get /environments',
  'get /environments/{name}',
  'put /environments/{env}/deployments/{processflow}',
  'delete /environments/{env}/deployments/{processflow}',
  'get /environments/{env}/deployments',
  'get /deployments/{id}',
  'get /deployments/{id}/sync-info',
  'get /deployments/{id}/records/{sourceId}/snapshots',
  'post /deployments/{id}/executions',
  'get /deployments/{id}/executions',
  'get /executions/{id}',
  'post /executions/{id}/cancel',
  'get /executions/{id}/snapshots',
  'post /deployments/{id}/resyncs',
  'post /deployments/{id}/resyncs/preview',
  'get /resyncs/{id}',
  'get /resyncs/{id}/items',
  'get /openapi.json',
  'get /healthz',
  'put /deployments/{id}/schedule',
  'get /deployments/{id}/schedule',
  'delete /deployments/{id}/schedule',
  'post /deployments/{id}/schedule/pause',
  'post /deployments/{id}/schedule/resume',
  'post /deployments/{id}/schedule/trigger',
  'get /metrics',
  'put /environments/{name}/daily-report',
  'get /environments/{name}/daily-report',
  'post /environments/{name}/daily-report/run',
  'get /environments/{name}/reports',
  'get /reports/{id}',
];

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** The routes Express actually serves, read from its routers. */
function mountedRoutes(app: Express): string[] {
  const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  return stack
    .flatMap((layer) => layer.handle?.stack ?? [])
    .flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods).map((method) => `${method} ${layer.route!.path}`)
        : [],
    )
    .map((route) => route.replace(/:(\w+)/g, '{$1}'));
}

function documentedRoutes(paths: Record<string, Record<string, unknown>>): string[] {
  return Object.entries(paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method} ${path}`),
  );
}

describe('GET /openapi.json', () => {
  it('answers an OpenAPI 3.1 document', async () => {
    const response = await api.http.get('/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.info.title).toBe('processflow API');
  });

  it('documents every promised route, and exactly the routes the app serves', async () => {
    const { body } = await api.http.get('/openapi.json');
    const documented = documentedRoutes(body.paths);

    expect(documented).toEqual(expect.arrayContaining(promisedRoutes));
    expect(mountedRoutes(api.app).sort()).toEqual(documented.sort());
  });

  it('documents problem answers and the parameters each route reads', async () => {
    const { body } = await api.http.get('/openapi.json');
    const syncInfo = body.paths['/deployments/{id}/sync-info'].get;
    const deploy = body.paths['/environments/{env}/deployments/{processflow}'].put;

    expect(
      syncInfo.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
    ).toEqual([
      'path:id',
      'query:status',
      'query:node',
      'query:sourceId',
      'query:limit',
      'query:after',
    ]);
    expect(syncInfo.responses['400'].content).toHaveProperty('application/problem+json');
    expect(deploy.requestBody.content['application/json'].schema.properties.settings).toBeDefined();
    expect(body.components.schemas).toHaveProperty('ProblemDetails');
    expect(body.components.schemas).toHaveProperty('SyncSettings');
  });

  it('offers YAML bodies for processflow definitions only', async () => {
    const { body } = await api.http.get('/openapi.json');
    const bodyTypes = (path: string, method: string) =>
      Object.keys(body.paths[path][method].requestBody.content);

    expect(bodyTypes('/processflows', 'post')).toEqual([
      'application/json',
      'application/yaml',
      'text/yaml',
    ]);
    expect(bodyTypes('/environments/{name}', 'put')).toEqual(['application/json']);
  });
});

describe('GET /healthz', () => {
  it('answers 200 ok', async () => {
    const response = await api.http.get('/healthz');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });
});
