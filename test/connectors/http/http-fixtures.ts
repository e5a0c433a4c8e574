import { createHttpDestination } from '../../../src/connectors/http/http-destination';
import { createHttpSource } from '../../../src/connectors/http/http-source';
import { HttpTransport } from '../../../src/connectors/http/http-transport';
import { testContext } from '../contract/connector-context';

export const SECRETS = {
  API_TOKEN: 'token-7f3a9c1e5b',
  API_PASSWORD: 'password-c0ffee42',
  API_KEY: 'key-d15ea5e0',
};

export const fakeAuth = {
  bearer: SECRETS.API_TOKEN,
};

/** HTTP connectors over one transport, as the worker builds them, and a way to close them. */
export function httpConnectors() {
  const transport = HttpTransport.create();
  return {
    source: createHttpSource(transport, { maxRecordBytes: 64 * 1024 }),
    destination: createHttpDestination(transport),
    context: (secrets: Record<string, string> = SECRETS) => testContext(secrets),
    close: () => transport.close(),
  };
}

export const bearer = { type: 'bearer', tokenSecret: 'API_TOKEN' } as const;

/** Source configs for the fake application's list, in each paging style. */
export function listConfig(baseUrl: string, style: 'page' | 'offset' | 'cursor' | 'link') {
  const list = {
    page: { path: '/paged/records', recordsPath: '$.data', pagination: { type: 'page' } },
    offset: { path: '/offset/records', recordsPath: '$.data', pagination: { type: 'offset' } },
    cursor: {
      path: '/cursor/records',
      recordsPath: '$.data',
      pagination: { type: 'cursor', cursorPath: '$.meta.next', sizeParam: 'limit' },
    },
    link: { path: '/link/records', pagination: { type: 'link', sizeParam: 'per_page' } },
  }[style];
  return { baseUrl, auth: bearer, list, get: { path: '/records/{id}' }, timeoutMs: 2_000 };
}
