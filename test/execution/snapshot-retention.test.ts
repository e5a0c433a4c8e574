import { metricsRegistry } from '../../src/metrics/metrics-registry';
import {
  ensureRetentionSchedule,
  retentionScheduleId,
} from '../../src/temporal/retention-schedule';
import { ProcessflowHarness } from '../helpers/processflow-harness';

let harness: ProcessflowHarness;

beforeAll(async () => {
  harness = await ProcessflowHarness.start({ pageSize: 5 });
});

afterAll(async () => {
  await harness?.server.client.schedule
    .getHandle(retentionScheduleId(harness.environment))
    .delete()
    .catch(() => undefined);
  await harness?.stop();
});

const DAY_MS = 86_400_000;

async function purgedCounter(environment: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('processflow_snapshots_purged_total')!.get();
  return metric.values.find((v) => v.labels.environment === environment)?.value ?? 0;
}

describe('the snapshot retention schedule', () => {
  it('purges snapshots older than the retention in bounded batches and keeps the ledger', async () => {
    await harness.db.knex.raw('create table dest.kept (id integer primary key, name text)');
    await harness.writeJsonLines(
      'kept.jsonl',
      Array.from({ length: 12 }, (_, i) => ({ id: i + 1, name: `n${i + 1}` })),
    );
    const deploymentId = await harness.deploy(harness.definition('kept', 'kept.jsonl', 'kept'));
    await harness.run(deploymentId);
    await harness.run(deploymentId);
    // The first run's snapshots are made 40 days old; the second run's stay recent.
    const first = await harness.db
      .knex('executions')
      .where({ deployment_id: deploymentId })
      .min('id as id')
      .first();
    await harness.db
      .knex('snapshots')
      .where({ execution_id: first!.id })
      .update({ started_at: new Date(Date.now() - 40 * DAY_MS) });
    const ledgerBefore = await harness.ledger(deploymentId);

    await ensureRetentionSchedule(harness.server.client, harness.environment, {
      days: 30,
      batchSize: 5,
      everyMinutes: 60,
    });
    const schedule = harness.server.client.schedule.getHandle(
      retentionScheduleId(harness.environment),
    );
    await schedule.trigger();
    await harness.waitUntil(async () => (await schedule.describe()).info.recentActions.length > 0);
    const [started] = (await schedule.describe()).info.recentActions;
    const purge = harness.server.client.workflow.getHandle(started.action.workflow.workflowId);
    const result = await purge.result();

    const snapshots = await harness.snapshots(deploymentId);
    expect(result).toMatchObject({ purged: 12, batches: 3 });
    expect(snapshots).toHaveLength(12);
    expect(snapshots.every((s) => Number(s.execution_id) !== Number(first!.id))).toBe(true);
    expect(await harness.ledger(deploymentId)).toEqual(ledgerBefore);
    expect(await purgedCounter(harness.environment)).toBe(12);
  });

  it('is updated, not duplicated, when an agent starts again with other settings', async () => {
    const settings = { days: 7, batchSize: 100, everyMinutes: 15 };
    await ensureRetentionSchedule(harness.server.client, harness.environment, settings);

    const described = await harness.server.client.schedule
      .getHandle(retentionScheduleId(harness.environment))
      .describe();

    expect(described.spec.intervals?.[0].every).toBe(15 * 60_000);
    expect(described.action).toMatchObject({
      type: 'startWorkflow',
      args: [{ environment: harness.environment, retentionDays: 7, batchSize: 100 }],
    });
  });
});
