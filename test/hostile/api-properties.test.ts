import fc from 'fast-check';
import { ApiHarness } from '../api/api-harness';

let api: ApiHarness;
let operations: { method: 'get' | 'post' | 'put' | 'delete'; path: string; body: boolean }[];

beforeAll(async () => {
  api = await ApiHarness.start();
  await api.deploy('props', 'orders');
  const { body } = await api.http.get('/openapi.json');
  operations = Object.entries(
    body.paths as Record<string, Record<string, { requestBody?: unknown }>>,
  )
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method as 'get' | 'post' | 'put' | 'delete',
        path,
        body: operation.requestBody !== undefined,
      })),
    )
    // /metrics is text, not JSON; schedules need a Temporal server, which this harness fakes
    // away (the schema-driven fuzzer of the fault suite covers them against a real one).
    .filter((operation) => operation.path !== '/metrics' && !operation.path.endsWith('/schedule'));
});

afterAll(() => api?.stop());

const runs = { numRuns: Number(process.env.PROPERTY_RUNS ?? 60) };

/** Path parameters as a hostile client sends them: any text, encoded or not. */
const segment = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom(
    'props',
    'orders@props',
    '1',
    '0',
    '-1',
    '9007199254740993',
    '%2E%2E',
    '%00',
    '%ZZ',
  ),
);

function fill(path: string, values: string[]): string {
  let i = 0;
  return path.replace(/\{\w+\}/g, () => values[i++ % values.length]);
}

/** Path parameters that name real, well-formed things, so that only the query is wrong. */
function validPath(path: string): string {
  const id = path.startsWith('/deployments')
    ? 'orders%40props'
    : path.startsWith('/executions') || path.startsWith('/reports')
      ? '1'
      : path.startsWith('/resyncs')
        ? '00000000-0000-4000-8000-000000000000'
        : '0123456789abcdef';
  const values: Record<string, string> = {
    name: path.startsWith('/processflows') ? 'orders' : 'props',
    env: 'props',
    processflow: 'orders',
    version: '1',
    sourceId: 'x',
    id,
  };
  return path.replace(/\{(\w+)\}/g, (_, key: string) => values[key]);
}

function isProblem(response: { type: string; body: { type?: string; errorId?: string } }) {
  return (
    response.type === 'application/problem+json' &&
    Boolean(response.body.type && response.body.errorId)
  );
}

describe('every operation, with hostile path parameters', () => {
  it('answers below 500, and every error as problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 3 }), async (values) => {
        for (const operation of operations) {
          const response = await api.http[operation.method](fill(operation.path, values));
          if (response.status >= 500)
            throw new Error(`${operation.method} ${operation.path}: ${response.status}`);
          if (response.status >= 400 && !isProblem(response)) {
            throw new Error(`${operation.method} ${operation.path}: not problem+json`);
          }
        }
      }),
      { ...runs, numRuns: Math.ceil(runs.numRuns / 3) },
    );
  });
});

describe('every operation that takes a body, with arbitrary JSON', () => {
  it('answers below 500, and a 400 names the fields under body.', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        for (const operation of operations.filter((o) => o.body)) {
          const response = await api.http[operation.method](fill(operation.path, ['props']))
            .set('content-type', 'application/json')
            .send(JSON.stringify(value));
          if (response.status >= 500) throw new Error(`${operation.path}: ${response.status}`);
          if (
            response.status === 400 &&
            response.body.type === 'urn:processflow:problem:invalid-input'
          ) {
            const paths = (response.body.errors ?? []).map((e: { path: string }) => e.path);
            if (paths.length === 0 || paths.some((p: string) => !/^body\b/.test(p))) {
              throw new Error(
                `${operation.path}: fields not named: ${JSON.stringify(response.body)}`,
              );
            }
          }
        }
      }),
      runs,
    );
  });
});

describe('every operation, with unknown query parameters', () => {
  it('refuses them naming each one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 12 }).filter((k) => /^[a-z][a-z0-9]*$/i.test(k)),
        fc.string({ maxLength: 20 }),
        async (key, value) => {
          fc.pre(
            ![
              'limit',
              'after',
              'before',
              'status',
              'node',
              'sourceId',
              'environment',
              'action',
            ].includes(key),
          );
          for (const operation of operations.filter((o) => o.method === 'get')) {
            const url = `${validPath(operation.path)}?${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
            const response = await api.http.get(url);
            if (response.status >= 500) throw new Error(`${url}: ${response.status}`);
            const paths: string[] = (response.body.errors ?? []).map(
              (e: { path: string }) => e.path,
            );
            // A path this test could not make valid is refused first, naming its parameter.
            const named =
              paths.includes(`query.${key}`) || paths.every((p) => p.startsWith('params.'));
            if (response.status !== 400 || paths.length === 0 || !named)
              throw new Error(`${url}: ${response.status} ${JSON.stringify(response.body)}`);
          }
        },
      ),
      { ...runs, numRuns: Math.ceil(runs.numRuns / 3) },
    );
  });
});

describe('any Authorization header', () => {
  it('is 401 unless it carries a valid token', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ maxLength: 80 }).map((t) => `Bearer ${t}`),
          fc.stringMatching(/^pft_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/).map((t) => `Bearer ${t}`),
        ),
        async (header) => {
          // HTTP header values are visible ASCII and spaces; clients refuse to send anything else.
          fc.pre([...header].every((c) => c >= ' ' && c <= '~'));
          const response = await api.anonymous.get('/environments').set('authorization', header);
          if (response.status !== 401)
            throw new Error(`${JSON.stringify(header)}: ${response.status}`);
        },
      ),
      runs,
    );
  });
});
