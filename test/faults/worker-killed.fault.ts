import { FakeApp } from '../connectors/fake-app/fake-app';
import { ProcessflowHarness } from '../helpers/processflow-harness';
import { checkExactlyOnce } from './exactly-once';
import { createdIds, people, toFakeApp, untilFinished, workerEnv } from './fault-flows';
import { WorkerProcess } from './worker-process';

const TOKEN = 'fault-token-3c1d';
const PAGE = 10;

let harness: ProcessflowHarness;
let app: FakeApp;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  app = await FakeApp.start({ bearer: TOKEN });
  harness = await ProcessflowHarness.start({ pageSize: PAGE, startWorker: false });
});

afterAll(async () => {
  for (const worker of workers) await worker.stop('SIGKILL');
  await harness?.stop();
  await app?.close();
});

async function startWorker(): Promise<WorkerProcess> {
  const worker = await WorkerProcess.start({
    environment: harness.environment,
    env: workerEnv(harness, TOKEN, PAGE),
  });
  workers.push(worker);
  await harness.waitUntil(
    async () => (await harness.services.environments.status(harness.environment)).active,
    120_000,
  );
  return worker;
}

describe('the worker killed with SIGKILL in the middle of a page', () => {
  it('loses nothing and writes nothing twice once another worker takes over', async () => {
    const records = people(35);
    await harness.writeJsonLines('people.jsonl', records);
    const deploymentId = await harness.deploy(toFakeApp(harness, app, 'killed', 'people.jsonl'));
    // The second page's writes are stored by the application and then never answered.
    let writes = 0;
    app.holdWrite = () => (++writes > PAGE ? new Promise(() => {}) : Promise.resolve());

    const first = await startWorker();
    const execution = await harness.services.executions.executeNow(deploymentId, 'fault test');
    await harness.waitUntil(async () => writes >= PAGE + 2, 120_000);
    const killed = await first.stop('SIGKILL');
    app.holdWrite = undefined;
    const second = await startWorker();
    const finished = await untilFinished(harness, execution.id);
    const stopped = await second.stop('SIGTERM');

    const ids = records.map((r) => String(r.id));
    const figures = await checkExactlyOnce({
      case: 'worker killed with SIGKILL mid-page, then restarted',
      db: harness.db.knex,
      deploymentId,
      fetched: ids,
      written: createdIds(app),
      expected: { succeeded: ids, tries: () => 1 },
      client: harness.server.client,
      notes: { writesBeforeKill: writes },
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(finished).toMatchObject({
      status: 'completed',
      recordsFetched: 35,
      recordsSucceeded: 35,
    });
    expect(figures).toMatchObject({ lost: 0, duplicated: 0, wrongTries: 0, stuck: 0 });
    expect(await harness.snapshots(deploymentId)).toHaveLength(35);
    expect(stopped.code).toBe(0);
    expect(second.log.some((line) => line.includes('"msg":"agent stopped"'))).toBe(true);
  });
});
