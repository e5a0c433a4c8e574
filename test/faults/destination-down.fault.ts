import { idempotencyKey } from '../../src/connectors/http/http-destination';
import { FakeApp } from '../connectors/fake-app/fake-app';
import { hourlyAuto, minutesAfter, RetryHarness } from '../helpers/retry-harness';
import { setSecret, unsetSecret } from '../helpers/secrets';
import { recordFigures } from './fault-figures';
import { APP_TOKEN_SECRET } from './fault-flows';

const TOKEN = 'fault-token-d0e1';
const BATCH = 3;

let harness: RetryHarness;
let app: FakeApp;

beforeAll(async () => {
  setSecret(APP_TOKEN_SECRET, TOKEN);
  app = await FakeApp.start({ bearer: TOKEN });
  harness = await RetryHarness.start();
});

afterAll(async () => {
  await harness?.stop();
  await app?.close();
  unsetSecret(APP_TOKEN_SECRET);
});

const ids = Array.from({ length: 8 }, (_, i) => i + 1);

describe('a destination down for an hour of retry slots, then back', () => {
  it('sees at most batchSize records per slot, and every record succeeds once it is back', async () => {
    const fourteen = await harness.nextUtc('14:00');
    await harness.sleepUntil(fourteen);
    await harness.writeRecords(
      'down.jsonl',
      ids.map((id) => ({ id, name: null })),
    );
    await harness.services.processflows.save({
      name: 'down',
      description: '',
      source: { name: 'File', connector: 'file', config: { path: 'down.jsonl' }, idField: 'id' },
      steps: [{ name: 'Map', type: 'map', expression: '{ "id": id, "name": name }' }],
      destination: {
        name: 'Fake app',
        connector: 'http',
        config: {
          baseUrl: app.url,
          auth: { type: 'bearer', tokenSecret: APP_TOKEN_SECRET },
          write: { method: 'POST', path: '/records' },
          timeoutMs: 2_000,
        },
      },
    });
    const deploymentId = await harness.redeploy('down', { ...hourlyAuto, batchSize: BATCH });
    // The application refuses records without a name: all eight fail and wait for 15:00.
    await harness.runMain(deploymentId);
    await harness.writeRecords(
      'down.jsonl',
      ids.map((id) => ({ id, name: `n${id}` })),
    );

    let down = true;
    app.failNext(
      Number.MAX_SAFE_INTEGER,
      { status: 503, body: '{"error":"maintenance"}' },
      (req) => down && req.method === 'POST',
    );
    await harness.sleepUntil(minutesAfter(fourteen, 65));
    down = false;
    await harness.sleepUntil(minutesAfter(fourteen, 5 * 60 + 5));

    const rows = await harness.records(deploymentId);
    const runs = await harness.db
      .knex('executions')
      .where({ deployment_id: deploymentId, kind: 'retry' })
      .orderBy('id');
    const recordsPerRun = runs.map((run) => {
      const keys = new Map(
        ids.map((id) => [idempotencyKey([`${deploymentId}/${id}/${run.id}`]), String(id)]),
      );
      const hit = app.requests
        .filter((r) => r.method === 'POST' && keys.has(String(r.headers['idempotency-key'])))
        .map((r) => keys.get(String(r.headers['idempotency-key']))!);
      return {
        slot: run.slot_at.toISOString(),
        status: run.status,
        records: new Set(hit).size,
        requests: hit.length,
      };
    });
    const created = app.created.map((body) => String(body.id));
    const lost = ids.filter((id) => !created.includes(String(id))).length;
    const duplicated = created.length - new Set(created).size;
    const wrongTries = rows.filter((r) => r.status !== 'Success' || r.tries !== 2).length;
    const stuck =
      runs.filter((r) => r.status === 'running').length +
      rows.filter((r) => r.retry_state !== null).length;
    recordFigures({
      case: 'destination down for an hour of retry slots (time-skipping)',
      recordsChecked: ids.length,
      lost,
      duplicated,
      wrongTries,
      stuck,
      notes: {
        batchSize: BATCH,
        slots: recordsPerRun.map((r) => `${r.status}:${r.records}/${r.requests}`),
      },
    });

    expect(recordsPerRun.every((run) => run.records <= BATCH)).toBe(true);
    expect(recordsPerRun.map((run) => run.status)).toEqual([
      'failed',
      'completed',
      'completed',
      'completed',
    ]);
    expect({ lost, duplicated, wrongTries, stuck }).toEqual({
      lost: 0,
      duplicated: 0,
      wrongTries: 0,
      stuck: 0,
    });
  });
});
