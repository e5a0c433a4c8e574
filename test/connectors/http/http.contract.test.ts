import { describeDestinationContract } from '../contract/destination-contract';
import { openDestination, openSource } from '../contract/connector-context';
import { describeIncrementalSourceContract } from '../contract/incremental-source-contract';
import { describeSourceContract } from '../contract/source-contract';
import { FakeApp } from '../fake-app/fake-app';
import { bearer, fakeAuth, httpConnectors, listConfig } from './http-fixtures';

let app: FakeApp;
const http = httpConnectors();

beforeAll(async () => {
  app = await FakeApp.start(fakeAuth);
});

afterAll(async () => {
  await http.close();
  await app?.close();
});

for (const style of ['page', 'offset', 'cursor', 'link'] as const) {
  describeSourceContract(`HTTP source (${style} paging)`, async () => {
    const config = (overrides: object = {}) => ({ ...listConfig(app.url, style), ...overrides });
    return {
      async openWith(records) {
        app.seed(records);
        return openSource(http.source, config(), http.context());
      },
      faults: [
        {
          name: 'a wrong token',
          expected: 'fatal',
          open: () => openSource(http.source, config(), http.context({ API_TOKEN: 'wrong' })),
        },
        {
          name: 'a server that is down',
          expected: 'transient',
          open: () =>
            openSource(http.source, config({ baseUrl: 'http://127.0.0.1:1' }), http.context()),
        },
        {
          name: 'a list path that is not the API',
          expected: 'fatal',
          open: () =>
            openSource(
              http.source,
              config({ list: { ...config().list, path: '/nowhere' } }),
              http.context(),
            ),
        },
      ],
    };
  });
}

const write = {
  put: { write: { method: 'PUT', path: '/records/{id}' } },
  post: { write: { method: 'POST', path: '/records' } },
  bulk: {
    bulk: {
      path: '/records/bulk',
      itemsField: 'items',
      resultsPath: '$.results',
      match: { by: 'field', resultField: 'key' },
    },
  },
};

for (const mode of ['put', 'post', 'bulk'] as const) {
  describeDestinationContract(`HTTP destination (${mode})`, async () => {
    const config = (overrides: object = {}) => ({
      baseUrl: app.url,
      auth: bearer,
      timeoutMs: 2_000,
      ...write[mode],
      ...overrides,
    });
    return {
      async openWriter() {
        app.reset();
        return openDestination(http.destination, config(), http.context());
      },
      async stored() {
        const rows = mode === 'post' ? app.created : [...app.stored.values()];
        return rows.map((r) => [String(r.key), String(r.name)]);
      },
      replacesAcrossAttempts: mode !== 'post',
      faults: [
        {
          name: 'a wrong token',
          expected: 'fatal',
          open: () =>
            openDestination(http.destination, config(), http.context({ API_TOKEN: 'wrong' })),
        },
        {
          name: 'a server that is down',
          expected: 'transient',
          open: () =>
            openDestination(
              http.destination,
              config({ baseUrl: 'http://127.0.0.1:1' }),
              http.context(),
            ),
        },
        {
          name: 'a 503',
          expected: 'transient',
          open: async () => {
            app.reset();
            app.failNext(1, { status: 503, body: '{"error":"maintenance"}' });
            return openDestination(http.destination, config(), http.context());
          },
        },
        {
          name: 'a refused record',
          expected: 'record',
          open: async () => {
            app.reset();
            app.failNext(1, { status: 409, body: '{"error":"conflict"}' });
            return openDestination(http.destination, config(), http.context());
          },
        },
        {
          name: 'a secret that is not set',
          expected: 'fatal',
          open: () => openDestination(http.destination, config(), http.context({})),
        },
      ],
    };
  });
}

describeIncrementalSourceContract('HTTP source (cursor paging, since parameter)', async () => {
  const config = {
    ...listConfig(app.url, 'cursor'),
    list: {
      ...listConfig(app.url, 'cursor').list,
      since: { param: 'updated_since', markPath: '$.updated_at' },
    },
  };
  let changes = 0;
  return {
    async create(records) {
      app.seed(records);
      return {
        open: () => openSource(http.source, config, http.context()),
        async change(ids) {
          changes += 1;
          for (const record of app.records.filter((r) => ids.includes(r.id))) {
            record.name = `${String(record.name)} (changed)`;
            record.updated_at = new Date(Date.UTC(2026, 5, 1, 0, changes)).toISOString();
          }
        },
      };
    },
  };
});
