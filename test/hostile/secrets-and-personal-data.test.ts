import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/api/create-app';
import { systemActor } from '../../src/domain/access';
import { SECRET_ENV_PREFIX } from '../../src/secrets';
import { FakeApp } from '../connectors/fake-app/fake-app';
import { createdIds, people, toFakeApp, workerEnv } from '../faults/fault-flows';
import { WorkerProcess } from '../faults/worker-process';
import { ProcessflowHarness } from '../helpers/processflow-harness';
import { scanHistories } from '../helpers/workflow-histories';

const SECRET = `pf-secret-marker-${randomBytes(6).toString('hex')}`;
const WRONG_SECRET = `pf-wrong-secret-marker-${randomBytes(6).toString('hex')}`;
const EMAIL = (id: number) => `pii-marker-${id}@example.com`;
const CARD = (id: number) => `4111-marker-${1000 + id}`;

let harness: ProcessflowHarness;
let app: FakeApp;
let refusing: FakeApp;
let worker: WorkerProcess;
const apiLog: string[] = [];

beforeAll(async () => {
  app = await FakeApp.start({ bearer: SECRET });
  // Refuses the token it is sent and echoes it back, as careless applications do.
  refusing = await FakeApp.start({ bearer: 'the-token-it-expects' });
  harness = await ProcessflowHarness.start({ pageSize: 4, startWorker: false });
  worker = await WorkerProcess.start({
    environment: harness.environment,
    env: {
      ...workerEnv(harness, SECRET, 4),
      [`${SECRET_ENV_PREFIX}WRONG_APP_TOKEN`]: WRONG_SECRET,
    },
  });
  await harness.waitUntil(
    async () => (await harness.services.environments.status(harness.environment)).active,
    120_000,
  );
});

afterAll(async () => {
  await worker?.stop('SIGTERM');
  await harness?.stop();
  await app?.close();
  await refusing?.close();
});

/** Every table of the database, row by row, as text. */
async function everyRow(): Promise<string> {
  const { rows: tables } = await harness.db.knex.raw(
    `select table_schema, table_name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const dumps: string[] = [];
  for (const { table_schema: schema, table_name: table } of tables) {
    const { rows } = await harness.db.knex.raw(`select t::text as row from ??.?? t`, [
      schema,
      table,
    ]);
    dumps.push(...rows.map((r: { row: string }) => `${table}: ${r.row}`));
  }
  return dumps.join('\n');
}

describe('a run with a marker secret and personal data listed as sensitive', () => {
  it('leaves neither in logs, the ledger, snapshots, API answers or workflow histories', async () => {
    const records = people(8).map((p) => ({
      ...p,
      // Records 3 and 6 have no name: the application refuses them, and they wait for retries.
      name: p.id % 3 === 0 ? null : p.name,
      email: EMAIL(p.id),
      card: { number: CARD(p.id), expires: '12/30' },
    }));
    await harness.writeJsonLines('people.jsonl', [...records, '{"id": 99, "email": "' + EMAIL(99)]);
    const sensitive = {
      ...toFakeApp(harness, app, 'sensitive', 'people.jsonl'),
      steps: [
        {
          name: 'Map',
          type: 'map' as const,
          expression: '{ "id": id, "name": name, "contact": { "email": email }, "card": card }',
        },
      ],
      sensitiveFields: ['email', 'card.number'],
    };
    const sensitiveId = await harness.deploy(sensitive, {
      mode: 'auto',
      frequency: 'hourly',
      interval: 1,
    });
    const locked = toFakeApp(harness, refusing, 'locked', 'people.jsonl');
    (locked.destination.config.auth as { tokenSecret: string }).tokenSecret = 'WRONG_APP_TOKEN';
    const lockedId = await harness.deploy({ ...locked, sensitiveFields: ['email', 'card.number'] });

    const first = await harness.run(sensitiveId);
    const second = await harness.run(lockedId);

    const log = pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          apiLog.push(chunk.toString('utf8'));
          done();
        },
      }),
    );
    const api = createApp({ services: harness.services, log });
    const { secret: token } = await harness.services.tokens.create(
      { name: 'reader', role: 'admin' },
      systemActor('test'),
    );
    const get = (url: string) => request(api).get(url).set('authorization', `Bearer ${token}`);
    const answers: unknown[] = [];
    for (const id of [sensitiveId, lockedId]) {
      const d = encodeURIComponent(id);
      const info = await get(`/deployments/${d}/sync-info?limit=1000`);
      answers.push(info.body, (await get(`/deployments/${d}`)).body);
      for (const row of info.body.records) {
        const path = `/deployments/${d}/records/${encodeURIComponent(row.sourceId)}/snapshots`;
        answers.push((await get(path)).body);
      }
      const executions = await get(`/deployments/${d}/executions`);
      answers.push(executions.body);
      for (const execution of executions.body.executions) {
        answers.push((await get(`/executions/${execution.id}/snapshots?limit=1000`)).body);
      }
    }
    answers.push(
      (await get('/processflows/sensitive/versions/1')).body,
      (await get('/audit-events?limit=1000')).body,
      (await get(`/environments/${harness.environment}/deployments`)).body,
      (await request(api).get('/tokens').set('authorization', `Bearer ${SECRET}`)).body,
    );
    const histories = await scanHistories(
      harness.server.client,
      `Environment = "${harness.environment}"`,
    );

    const everywhere = {
      'worker log': worker.log.join('\n'),
      'API log': apiLog.join('\n'),
      database: await everyRow(),
      'API answers': JSON.stringify(answers),
      'workflow histories': histories.text,
    };
    const markers = [
      SECRET,
      WRONG_SECRET,
      ...records.flatMap((r) => [EMAIL(r.id), CARD(r.id)]),
      EMAIL(99),
    ];
    const found = Object.entries(everywhere).flatMap(([where, text]) =>
      markers.filter((marker) => text.includes(marker)).map((marker) => `${marker} in ${where}`),
    );

    // The markers were really there to leak: the secret authenticated, the data arrived.
    expect(app.requests.some((r) => r.headers.authorization === `Bearer ${SECRET}`)).toBe(true);
    expect(
      refusing.requests.some((r) => r.headers.authorization === `Bearer ${WRONG_SECRET}`),
    ).toBe(true);
    expect(JSON.stringify(app.created)).toContain(EMAIL(1));
    expect(createdIds(app).sort()).toEqual(['1', '2', '4', '5', '7', '8']);
    expect(first.recordsFailed).toBe(3);
    expect(second).toMatchObject({ status: 'failed', error: expect.stringMatching(/401/) });
    expect(histories.workflows).toBeGreaterThanOrEqual(4);
    expect(found).toEqual([]);
  });

  it('shows masked fields in snapshots at every node', async () => {
    const [snapshot] = await harness.db
      .knex('snapshots')
      .where({ deployment_id: `sensitive@${harness.environment}`, source_id: '1' });
    const [source, map, destination] = snapshot.nodes;

    expect(source.output).toMatchObject({
      email: '[masked]',
      card: { number: '[masked]', expires: '12/30' },
    });
    expect(map.output).toMatchObject({
      contact: { email: '[masked]' },
      card: { number: '[masked]' },
    });
    expect(destination.request.body).toMatchObject({ contact: { email: '[masked]' } });
    expect(destination.response.body).toMatchObject({ contact: { email: '[masked]' } });
  });
});
