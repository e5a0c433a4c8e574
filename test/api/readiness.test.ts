import request from 'supertest';
import pino from 'pino';
import { createApp } from '../../src/api/create-app';
import { createKnex } from '../../src/db/knex';
import { ReadinessService } from '../../src/services/readiness-service';
import { ApiHarness } from './api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});

afterAll(() => api?.stop());

describe('GET /readyz', () => {
  it('answers 200 without a token while Postgres and Temporal answer', async () => {
    const response = await api.anonymous.get('/readyz');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ready',
      postgres: { ok: true },
      temporal: { ok: true },
    });
  });

  it('answers 503 naming Temporal when it does not answer', async () => {
    const services = { ...api.services };
    services.readiness = new ReadinessService(api.db.knex, async () => {
      throw new Error('14 UNAVAILABLE: No connection established');
    });
    const app = createApp({ services, log: pino({ level: 'silent' }) });

    const response = await request(app).get('/readyz');

    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      status: 'unavailable',
      postgres: { ok: true },
      temporal: { ok: false, error: expect.stringMatching(/UNAVAILABLE/) },
    });
  });

  it('answers 503 naming Postgres when it cannot be reached', async () => {
    const unreachable = createKnex('postgres://nobody:nothing@127.0.0.1:1/none', {
      min: 0,
      max: 1,
    });
    try {
      const readiness = await new ReadinessService(unreachable, async () => {}).check();

      expect(readiness).toMatchObject({
        ready: false,
        postgres: { ok: false },
        temporal: { ok: true },
      });
      expect(readiness.postgres.error).toMatch(/ECONNREFUSED|no answer/);
    } finally {
      await unreachable.destroy();
    }
  });

  it('answers 503 while the process drains, whatever its dependencies say', async () => {
    const app = createApp({
      services: api.services,
      log: pino({ level: 'silent' }),
      draining: () => true,
    });

    const response = await request(app).get('/readyz');

    expect(response.status).toBe(503);
  });
});

describe('GET /healthz', () => {
  it('answers 200 without a token', async () => {
    expect((await api.anonymous.get('/healthz')).status).toBe(200);
  });
});
