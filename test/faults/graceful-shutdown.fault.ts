import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findFreePort } from '../../src/local/free-port';
import { projectRoot } from '../../src/local/project-paths';
import { FakeApp } from '../connectors/fake-app/fake-app';
import { ProcessflowHarness } from '../helpers/processflow-harness';
import { requiredEnv } from '../helpers/required-env';
import { checkExactlyOnce } from './exactly-once';
import { createdIds, people, toFakeApp, untilFinished, workerEnv } from './fault-flows';
import { WorkerProcess } from './worker-process';

const TOKEN = 'fault-token-9e2a';
const PAGE = 10;

let harness: ProcessflowHarness;
let app: FakeApp;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  app = await FakeApp.start({ bearer: TOKEN });
  harness = await ProcessflowHarness.start({ pageSize: PAGE, startWorker: false });
});

beforeEach(() => app.reset());

afterAll(async () => {
  for (const worker of workers) await worker.stop('SIGKILL');
  await harness?.stop();
  await app?.close();
});

async function startWorker(env: Record<string, string> = {}): Promise<WorkerProcess> {
  const worker = await WorkerProcess.start({
    environment: harness.environment,
    env: { ...workerEnv(harness, TOKEN, PAGE), ...env },
  });
  workers.push(worker);
  await harness.waitUntil(
    async () => (await harness.services.environments.status(harness.environment)).active,
    120_000,
  );
  return worker;
}

/** Runs a flow whose second page's writes are held until `release` resolves. */
async function runHeldOnSecondPage(name: string, release: Promise<void>) {
  const records = people(30);
  await harness.writeJsonLines(`${name}.jsonl`, records);
  const deploymentId = await harness.deploy(toFakeApp(harness, app, name, `${name}.jsonl`));
  let writes = 0;
  app.holdWrite = () => (++writes > PAGE ? release : Promise.resolve());
  const execution = await harness.services.executions.executeNow(deploymentId, 'fault test');
  await harness.waitUntil(async () => writes > PAGE, 120_000);
  return { deploymentId, execution, ids: records.map((r) => String(r.id)) };
}

describe('the worker stopped with SIGTERM in the middle of a page', () => {
  it('finishes the page within its grace time, exits 0, and the next worker goes on', async () => {
    const first = await startWorker();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { deploymentId, execution, ids } = await runHeldOnSecondPage('drained', held);

    const stopping = first.stop('SIGTERM');
    await first.waitForLog(/"msg":"agent stopping"/);
    setTimeout(release, 1_000);
    const stopped = await stopping;
    const pagesWhenStopped = (await harness.services.executions.get(execution.id)).pages;
    const second = await startWorker();
    const finished = await untilFinished(harness, execution.id);
    await second.stop('SIGTERM');

    const figures = await checkExactlyOnce({
      case: 'worker stopped with SIGTERM mid-page: the page finishes',
      db: harness.db.knex,
      deploymentId,
      fetched: ids,
      written: createdIds(app),
      expected: { succeeded: ids, tries: () => 1 },
      client: harness.server.client,
    });
    expect(stopped.code).toBe(0);
    expect(pagesWhenStopped).toBeGreaterThanOrEqual(1);
    expect(finished).toMatchObject({ status: 'completed', recordsSucceeded: 30 });
    expect(figures).toMatchObject({ lost: 0, duplicated: 0, wrongTries: 0, stuck: 0 });
  });

  it('past the grace time, rolls the page back and leaves it to the next worker', async () => {
    const first = await startWorker({ WORKER_SHUTDOWN_GRACE_SECONDS: '1' });
    const { deploymentId, execution, ids } = await runHeldOnSecondPage(
      'cut-off',
      new Promise(() => {}),
    );

    const stopped = await first.stop('SIGTERM');
    app.holdWrite = undefined;
    const second = await startWorker();
    const finished = await untilFinished(harness, execution.id);
    await second.stop('SIGTERM');

    const figures = await checkExactlyOnce({
      case: 'worker stopped with SIGTERM mid-page past its grace time',
      db: harness.db.knex,
      deploymentId,
      fetched: ids,
      written: createdIds(app),
      expected: { succeeded: ids, tries: () => 1 },
      client: harness.server.client,
    });
    expect(stopped.code).toBe(0);
    expect(finished).toMatchObject({ status: 'completed', recordsSucceeded: 30 });
    expect(figures).toMatchObject({ lost: 0, duplicated: 0, wrongTries: 0, stuck: 0 });
  });
});

describe('the API stopped with SIGTERM', () => {
  it('turns unready, finishes, and exits 0', async () => {
    const port = await findFreePort('127.0.0.1');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(projectRoot(), 'src/api/main.ts')],
      {
        cwd: projectRoot(),
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: harness.db.url,
          TEMPORAL_ADDRESS: requiredEnv('TEMPORAL_ADDRESS'),
          API_PORT: String(port),
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await harness.waitUntil(async () => log.includes('"msg":"api listening"'), 120_000);

    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    child.kill('SIGTERM');
    const code = await exited;

    expect(ready.status).toBe(200);
    expect(log).toMatch(/"msg":"api stopping"/);
    expect(code).toBe(0);
  });
});
