import { ProcessflowHarness } from '../helpers/processflow-harness';
import { checkExactlyOnce } from './exactly-once';
import { startOwnTemporal } from './own-servers';

let harness: ProcessflowHarness;
let temporal: Awaited<ReturnType<typeof startOwnTemporal>>;

/** Hourly slots fall on the deployment time plus whole hours: this puts the first one 40 s away. */
const FIRST_SLOT_IN_MS = 40_000;

beforeAll(async () => {
  temporal = await startOwnTemporal();
  harness = await ProcessflowHarness.start({
    server: temporal.server,
    now: () => new Date(Date.now() - 3_600_000 + FIRST_SLOT_IN_MS),
  });
});

afterAll(() => harness?.stop());

async function lifecycles(state: string): Promise<string[]> {
  const found: string[] = [];
  const query = `RetryState = "${state}" AND ExecutionStatus = "Running" AND Environment = "${harness.environment}"`;
  for await (const workflow of harness.server.client.workflow.list({ query })) {
    found.push(workflow.workflowId);
  }
  return found.sort();
}

describe('the Temporal server restarted while retry lifecycles wait on timers', () => {
  it('keeps every lifecycle and timer: the slot after the restart retries each record once', async () => {
    const ids = [1, 2, 3, 4, 5, 6];
    await harness.db.knex.raw(
      'create table dest.waiting (id integer primary key, name text not null)',
    );
    await harness.writeJsonLines(
      'waiting.jsonl',
      ids.map((id) => ({ id, name: null })),
    );
    const deploymentId = await harness.deploy(
      harness.definition('waiting', 'waiting.jsonl', 'waiting'),
      { mode: 'auto', frequency: 'hourly', interval: 1, timeLapse: 0, batchSize: 100 },
    );
    const main = await harness.run(deploymentId);
    await harness.waitUntil(async () => (await lifecycles('waiting')).length === ids.length);
    const waitingBefore = await lifecycles('waiting');

    // The agent stays attached: it must ride out the outage on its own.
    await temporal.restart(1_000);
    await harness.writeJsonLines(
      'waiting.jsonl',
      ids.map((id) => ({ id, name: `n${id}` })),
    );
    const waitingAfter = await lifecycles('waiting');
    await harness.waitUntil(async () => {
      const rows = await harness.ledger(deploymentId);
      return rows.every((row) => row.status === 'Success');
    }, 300_000);
    await harness.waitUntil(async () => (await lifecycles('waiting')).length === 0, 120_000);

    const written = (await harness.db.knex('dest.waiting')).map((row) => String(row.id));
    const figures = await checkExactlyOnce({
      case: 'Temporal dev server restarted while lifecycles wait on timers',
      db: harness.db.knex,
      deploymentId,
      fetched: ids.map(String),
      written,
      expected: { succeeded: ids.map(String), tries: () => 2 },
      client: harness.server.client,
      notes: { lifecyclesWaitingAcrossRestart: waitingAfter.length },
    });
    expect(main.recordsFailed).toBe(ids.length);
    expect(waitingAfter).toEqual(waitingBefore);
    expect(figures).toMatchObject({ lost: 0, duplicated: 0, wrongTries: 0, stuck: 0 });
    const retries = await harness.db
      .knex('executions')
      .where({ deployment_id: deploymentId, kind: 'retry' });
    expect(retries.map((run) => [run.status, run.records_succeeded])).toEqual([['completed', 6]]);
  });
});
