import { FakeApp } from '../connectors/fake-app/fake-app';
import { ProcessflowHarness } from '../helpers/processflow-harness';
import { setSecret, unsetSecret } from '../helpers/secrets';
import { checkExactlyOnce } from './exactly-once';
import { APP_TOKEN_SECRET, createdIds, people, toFakeApp } from './fault-flows';
import { startOwnPostgres } from './own-servers';

const TOKEN = 'fault-token-5a9f';
const PAGE = 5;

let harness: ProcessflowHarness;
let app: FakeApp;
let postgres: Awaited<ReturnType<typeof startOwnPostgres>>;

beforeAll(async () => {
  setSecret(APP_TOKEN_SECRET, TOKEN);
  app = await FakeApp.start({ bearer: TOKEN });
  postgres = await startOwnPostgres();
  harness = await ProcessflowHarness.start({ pageSize: PAGE, database: postgres.database });
});

afterAll(async () => {
  await harness?.stop();
  await app?.close();
  unsetSecret(APP_TOKEN_SECRET);
});

/** Reads through the ledger's database, which may be down for a moment. */
async function whenReachable<T>(read: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await read();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('Postgres restarted in the middle of a run', () => {
  it('leaves every record in the ledger once and at the destination once', async () => {
    const records = people(40);
    await harness.writeJsonLines('restart.jsonl', records);
    const deploymentId = await harness.deploy(toFakeApp(harness, app, 'restart', 'restart.jsonl'));
    app.writeDelayMs = 150;

    const execution = await harness.services.executions.executeNow(deploymentId, 'fault test');
    await harness.waitUntil(async () => app.created.length >= 2 * PAGE + 2, 120_000);
    await postgres.restart(2_000);
    const finished = await whenReachable(async () => {
      for (;;) {
        const now = await harness.services.executions.get(execution.id);
        if (now.status !== 'running') return now;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });

    const ids = records.map((r) => String(r.id));
    const figures = await checkExactlyOnce({
      case: 'Postgres restarted in the middle of a run',
      db: harness.db.knex,
      deploymentId,
      fetched: ids,
      written: createdIds(app),
      expected: { succeeded: ids, tries: () => 1 },
      client: harness.server.client,
      notes: { writes: app.requests.filter((r) => r.method === 'POST').length },
    });
    expect(finished).toMatchObject({
      status: 'completed',
      recordsFetched: 40,
      recordsSucceeded: 40,
    });
    expect(figures).toMatchObject({ lost: 0, duplicated: 0, wrongTries: 0, stuck: 0 });
    expect(await harness.snapshots(deploymentId)).toHaveLength(40);
  });
});
