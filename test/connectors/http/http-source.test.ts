import { TransientConnectorError } from '../../../src/connectors/connector-errors';
import { openSource } from '../contract/connector-context';
import { expectConnectorError } from '../contract/contract-records';
import { readAll } from '../contract/source-contract';
import { FakeApp, type FakeRecord } from '../fake-app/fake-app';
import { fakeAuth, httpConnectors, listConfig, SECRETS } from './http-fixtures';

let app: FakeApp;
const http = httpConnectors();

beforeAll(async () => {
  app = await FakeApp.start(fakeAuth);
});

beforeEach(() => app.reset());

afterAll(async () => {
  await http.close();
  await app?.close();
});

const people = (count: number, prefix = 'p'): FakeRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    name: `${prefix} ${i + 1}`,
  }));

const open = (config: object, secrets = SECRETS) =>
  openSource(http.source, config, http.context(secrets));

describe('a list that grows at the front while it is paged', () => {
  it.each(['page', 'offset', 'cursor', 'link'] as const)(
    'hands over every record of the %s list exactly once',
    async (style) => {
      const original = people(23);
      app.seed(original);
      let inserted = 0;
      app.beforeListPage = (page) => {
        if (page > 1)
          for (let i = 0; i < 3; i++) app.insertFront({ id: `new${++inserted}`, name: 'new' });
      };

      const { items } = await readAll(await open(listConfig(app.url, style)), 5, 50);

      const ids = items.map((i) => i.id);
      const originals = ids.filter((id) => !id.startsWith('new'));
      expect(originals.sort()).toEqual(original.map((r) => r.id).sort());
      expect(new Set(ids).size).toBe(ids.length);
      expect(inserted).toBeGreaterThan(0);
    },
  );
});

describe('a list that loses records ahead of the cursor', () => {
  it('is read again from the start with offset paging, so none slides past unseen', async () => {
    const original = people(20);
    app.seed(original);
    app.beforeListPage = (page) => {
      if (page === 2) ['p1', 'p2'].forEach((id) => app.remove(id));
    };

    const { items } = await readAll(await open(listConfig(app.url, 'offset')), 5, 50);

    // p1 and p2 were handed over before they were removed; p3 and p4 slid back past the cursor
    // and were found when the list was read again.
    expect([...new Set(items.map((i) => i.id))].sort()).toEqual(original.map((r) => r.id).sort());
  });

  it('stops the run when records keep vanishing, rather than guess', async () => {
    app.seed(people(40));
    app.beforeListPage = (page) => {
      if (page > 1) app.remove(app.records[0].id);
    };
    const reader = await open(listConfig(app.url, 'offset'));

    const error = await expectConnectorError(() => readAll(reader, 5, 100), 'fatal');

    expect(error.message).toMatch(/records kept disappearing ahead of the cursor/);
  });
});

describe('answers that are not what a list should be', () => {
  it('refuses an HTML page as the wrong address (fatal)', async () => {
    app.seed(people(3));
    app.failNext(1, { status: 200, contentType: 'text/html', body: '<html>Sign in</html>' });

    const error = await expectConnectorError(
      async () => (await open(listConfig(app.url, 'cursor'))).listPage(null, 5),
      'fatal',
    );

    expect(error.message).toMatch(/did not answer JSON: the body \(text\/html\) is not JSON/);
  });

  it('retries JSON that was cut short (transient)', async () => {
    app.failNext(1, { status: 200, body: '{"data": [{"id": "p1"' });

    await expectConnectorError(
      async () => (await open(listConfig(app.url, 'cursor'))).listPage(null, 5),
      'transient',
    );
  });

  it('refuses a Link header that leads to another host', async () => {
    app.seed(people(3));
    app.failNext(1, {
      status: 200,
      body: '[{"id": "p1"}]',
      headers: { link: '<http://127.0.0.2:9/steal>; rel="next"' },
    });

    const error = await expectConnectorError(
      async () => (await open(listConfig(app.url, 'link'))).listPage(null, 5),
      'fatal',
    );

    expect(error.message).toMatch(/points to another host/);
  });

  it('reports entries without an id as rejects named by where they were', async () => {
    app.seed([{ id: 'p1', name: 'a' }, { name: 'no id' } as unknown as FakeRecord]);

    const page = await (await open(listConfig(app.url, 'offset'))).listPage(null, 5);

    expect(page.records.map((r) => r.id)).toEqual(['p1']);
    expect(page.rejects).toEqual([
      expect.objectContaining({ locator: 'offset 1', error: 'record has no id in field "id"' }),
    ]);
  });
});

describe('429 and Retry-After', () => {
  // Retry-After shuts the gate to the application for the wait: each check gets its own.
  let own: ReturnType<typeof httpConnectors>;
  beforeEach(() => (own = httpConnectors()));
  afterEach(() => own.close());
  const open = (config: object) => openSource(own.source, config, own.context());

  it('asks for the wait the server gave in seconds', async () => {
    app.failNext(1, { status: 429, headers: { 'retry-after': '7' } });

    const error = await expectConnectorError(
      async () => (await open(listConfig(app.url, 'page'))).listPage(null, 5),
      'transient',
    );

    expect((error as TransientConnectorError).retryAfterMs).toBe(7_000);
  });

  it('asks for the wait the server gave as an HTTP date, cut to the configured maximum', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toUTCString();
    app.failNext(1, { status: 503, headers: { 'retry-after': inAnHour } });
    const config = { ...listConfig(app.url, 'page'), maxRetryAfterMs: 60_000 };

    const error = await expectConnectorError(
      async () => (await open(config)).listPage(null, 5),
      'transient',
    );

    expect((error as TransientConnectorError).retryAfterMs).toBe(60_000);
  });
});

describe('credentials', () => {
  it.each([
    ['basic', { type: 'basic', username: 'ada', passwordSecret: 'API_PASSWORD' }],
    ['API key', { type: 'apiKey', header: 'X-Api-Key', keySecret: 'API_KEY' }],
  ])('sends %s credentials read from secrets', async (_name, auth) => {
    const strict = await FakeApp.start({
      basic:
        auth.type === 'basic' ? { username: 'ada', password: SECRETS.API_PASSWORD } : undefined,
      apiKey: auth.type === 'apiKey' ? { header: 'x-api-key', key: SECRETS.API_KEY } : undefined,
    });
    try {
      strict.seed(people(2));
      const reader = await open({ ...listConfig(strict.url, 'cursor'), auth });

      const { items } = await readAll(reader, 5, 5);

      expect(items.map((i) => i.id)).toEqual(['p1', 'p2']);
    } finally {
      await strict.close();
    }
  });

  it('keeps a secret the server echoes back out of the error', async () => {
    const reader = await open(listConfig(app.url, 'cursor'), {
      ...SECRETS,
      API_TOKEN: 'wrong-token-123',
    });

    const error = await expectConnectorError(() => reader.listPage(null, 5), 'fatal');

    expect(error.message).toMatch(/401 Unauthorized/);
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain('wrong-token-123');
  });
});

describe('getByIds', () => {
  it('treats an answer about another record as absent', async () => {
    app.seed(people(1));
    app.failNext(1, { status: 200, body: '{"id": "P1", "name": "case-folded"}' });

    const found = await (await open(listConfig(app.url, 'cursor'))).getByIds(['p1x']);

    expect(found.size).toBe(0);
  });

  it('finds records by listing when there is no get-by-id URL', async () => {
    app.seed(people(12));
    const config = { ...listConfig(app.url, 'cursor'), get: undefined };

    const found = await (await open(config)).getByIds(['p3', 'p11', 'nope']);

    expect([...found.keys()].sort()).toEqual(['p11', 'p3']);
  });
});
