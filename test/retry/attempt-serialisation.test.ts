import { createSlowDestination } from '../fixtures/slow-destination';
import { ProcessflowHarness } from '../helpers/processflow-harness';

let harness: ProcessflowHarness;
const slow = createSlowDestination(1_500);
/** Deployments made by this file are stamped 59 min 45 s in the past: their first hourly slot is 15 s away. */
const clock = { shiftMs: 0 };

beforeAll(async () => {
  harness = await ProcessflowHarness.start({
    addConnectors: (registry) => registry.addDestination(slow.connector),
    now: () => new Date(Date.now() + clock.shiftMs),
  });
});

afterAll(() => harness?.stop());

describe('a main run and a manual resync that meet on one record', () => {
  it('attempt it one after the other, and the ledger shows each attempt once, in order', async () => {
    await harness.writeJsonLines('meet.jsonl', [{ id: 1, name: 'one' }]);
    const definition = harness.definition('meet', 'meet.jsonl', 'unused');
    const deploymentId = await harness.deploy({
      ...definition,
      destination: { name: 'Slow app', connector: 'slow', config: {} },
    });

    const main = await harness.services.executions.executeNow(deploymentId, 'test');
    await harness.waitUntil(async () => (await harness.ledger(deploymentId)).length === 1);
    const { resync } = await harness.services.resyncs.start(deploymentId, {
      selection: { sourceIds: ['1'] },
    });
    await harness.waitForWorkflow(main.workflowId);
    await harness.waitForWorkflow(resync.workflowId!);

    const writes = slow.spans.filter((s) => s.sourceId === '1');
    expect(writes).toHaveLength(2);
    expect(writes[1].startedAt).toBeGreaterThanOrEqual(writes[0].endedAt);
    const snapshots = await harness.snapshots(deploymentId);
    expect(snapshots.map((s) => [s.attempt_kind, s.try_number])).toEqual([
      ['main', 1],
      ['resync', 2],
    ]);
    expect(snapshots[1].started_at.getTime()).toBeGreaterThanOrEqual(
      snapshots[0].finished_at.getTime(),
    );
    expect((await harness.ledger(deploymentId))[0]).toMatchObject({ status: 'Success', tries: 2 });
  });
});

describe('a retry slot that passes while no agent is attached', () => {
  it('waits for the agent and then retries, instead of failing', async () => {
    await harness.db.knex.raw(
      'create table dest.waits (id integer primary key, name text not null)',
    );
    await harness.writeJsonLines('waits.jsonl', [{ id: 1, name: null }]);
    clock.shiftMs = -(60 * 60_000 - 15_000);
    const deploymentId = await harness.deploy(harness.definition('waits', 'waits.jsonl', 'waits'), {
      mode: 'auto',
      frequency: 'hourly',
      interval: 1,
      timeLapse: 0,
    });
    clock.shiftMs = 0;
    await harness.run(deploymentId);
    const { retryAnchorAt } = await harness.services.deployments.get(deploymentId);
    const slotAt = retryAnchorAt.getTime() + 3_600_000;

    await harness.stopWorker();
    await harness.waitUntil(async () => Date.now() > slotAt + 5_000, 60_000);
    expect((await harness.ledger(deploymentId))[0]).toMatchObject({
      status: 'Failed',
      tries: 1,
      retry_state: 'waiting',
    });

    await harness.startWorker();
    await harness.waitUntil(
      async () => (await harness.ledger(deploymentId))[0].tries === 2,
      60_000,
    );
    const snapshots = await harness.snapshots(deploymentId);
    expect(snapshots.map((s) => s.attempt_kind)).toEqual(['main', 'retry']);
    expect(snapshots[1].started_at.getTime()).toBeGreaterThan(slotAt + 5_000);
  });
});
