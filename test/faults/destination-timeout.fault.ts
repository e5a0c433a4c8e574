import { FakeApp } from '../connectors/fake-app/fake-app';
import { ProcessflowHarness } from '../helpers/processflow-harness';
import { setSecret, unsetSecret } from '../helpers/secrets';
import { checkExactlyOnce } from './exactly-once';
import { APP_TOKEN_SECRET, createdIds, people, toFakeApp } from './fault-flows';

const TOKEN = 'fault-token-77b0';

let harness: ProcessflowHarness;
let app: FakeApp;

beforeAll(async () => {
  setSecret(APP_TOKEN_SECRET, TOKEN);
  app = await FakeApp.start({ bearer: TOKEN });
  harness = await ProcessflowHarness.start({ pageSize: 6 });
});

afterAll(async () => {
  await harness?.stop();
  await app?.close();
  unsetSecret(APP_TOKEN_SECRET);
});

describe('a destination that times out after writing', () => {
  it('is written once per record: the repeated page carries the same idempotency keys', async () => {
    const records = people(14);
    await harness.writeJsonLines('late.jsonl', records);
    const deploymentId = await harness.deploy(toFakeApp(harness, app, 'late', 'late.jsonl'));
    // Stored at once, answered after the connector's 2 s timeout has passed.
    app.answerWritesLate(4, 3_000);

    const execution = await harness.run(deploymentId);

    const ids = records.map((r) => String(r.id));
    const writes = app.requests.filter((r) => r.method === 'POST').length;
    const figures = await checkExactlyOnce({
      case: 'destination times out after writing',
      db: harness.db.knex,
      deploymentId,
      fetched: ids,
      written: createdIds(app),
      expected: { succeeded: ids, tries: () => 1 },
      client: harness.server.client,
      notes: { requests: writes, repeatedRequests: writes - ids.length },
    });
    expect(execution).toMatchObject({ status: 'completed', recordsSucceeded: 14 });
    expect(writes).toBeGreaterThan(ids.length);
    expect(figures).toMatchObject({ lost: 0, duplicated: 0, wrongTries: 0, stuck: 0 });
  });
});
