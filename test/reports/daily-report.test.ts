import { systemActor } from '../../src/domain/access';
import { reportCron } from '../../src/domain/daily-report';
import { nextRunTimes } from '../../src/domain/run-schedule';
import { WebhookReceiver } from '../fixtures/webhook-receiver';
import { ProcessflowHarness } from '../helpers/processflow-harness';

const actor = systemActor('test');
let harness: ProcessflowHarness;
let receiver: WebhookReceiver;
let deploymentId: string;

beforeAll(async () => {
  harness = await ProcessflowHarness.start();
  receiver = await WebhookReceiver.start();
  await harness.db.knex.raw(
    'create table dest.people (id integer primary key, name text not null)',
  );
  await harness.writeJsonLines('people.jsonl', [
    { id: 1, name: 'Ada' },
    { id: 2, name: null },
    { id: 3, name: null },
    { id: 4, name: 'Zoë' },
  ]);
  deploymentId = await harness.deploy(harness.definition('people', 'people.jsonl', 'people'));
  await harness.run(deploymentId);

  // Record 2 is fixed at the source and resynced by hand; record 3 is still broken.
  await harness.writeJsonLines('people.jsonl', [
    { id: 1, name: 'Ada' },
    { id: 2, name: 'Grace' },
    { id: 3, name: null },
    { id: 4, name: 'Zoë' },
  ]);
  const { resync } = await harness.services.resyncs.start(deploymentId, {
    selection: { sourceIds: ['2'] },
  });
  const execution = await harness.services.executions.get(resync.executionId!);
  await harness.waitForWorkflow(execution.workflowId);
});

afterAll(async () => {
  await receiver?.close();
  await harness?.stop();
});

describe('the daily report', () => {
  const settings = () => ({
    at: '06:30',
    timezone: 'Europe/Paris',
    webhooks: [`${receiver.url}/hook`, `${receiver.url}/gone`],
  });

  it('is scheduled by Temporal at the configured wall-clock time in its time zone', async () => {
    const configured = await harness.services.reports.configure(
      harness.environment,
      settings(),
      actor,
    );

    const [expected] = nextRunTimes(
      { cron: reportCron('06:30'), timezone: 'Europe/Paris' },
      new Date(),
      1,
    );
    expect(configured).toMatchObject({ at: '06:30', timezone: 'Europe/Paris' });
    expect(configured.nextRunAt?.toISOString()).toBe(expected.toISOString());
  });

  it("reports the last 24 hours' figures as the ledger has them, to each webhook", async () => {
    await harness.services.reports.runNow(harness.environment, actor);
    await harness.waitUntil(async () => {
      const [report] = await harness.services.reports.list(harness.environment, 1);
      return report?.deliveries.length === 2;
    });

    const [report] = await harness.services.reports.list(harness.environment, 1);
    const failedError = (await harness.ledger(deploymentId)).find((r) => r.source_id === '3')
      .last_error as string;
    expect(failedError).toMatch(/violates not-null constraint/);
    const figures = {
      synced: 3,
      succeededOnRetry: 1,
      stillFailing: 1,
      topErrors: [{ error: failedError, count: 1 }],
    };
    expect(report.totals).toEqual(figures);
    expect(report.deployments).toEqual([{ deploymentId, ...figures }]);
    expect(report.periodEnd.getTime() - report.periodStart.getTime()).toBe(86_400_000);
    expect(report.deliveries).toEqual([
      {
        url: `${receiver.url}/gone`,
        status: 'failed',
        httpStatus: 410,
        error: 'the webhook answered 410',
      },
      { url: `${receiver.url}/hook`, status: 'delivered', httpStatus: 204, error: null },
    ]);
    expect(receiver.received).toEqual([
      expect.objectContaining({
        type: 'processflow.daily-report',
        id: report.id,
        environment: harness.environment,
        totals: figures,
      }),
    ]);
  });

  it('agrees with the ledger and the snapshots, counted independently', async () => {
    const [report] = await harness.services.reports.list(harness.environment, 1);
    const { knex } = harness.db;

    const [{ count: written }] = await knex('snapshots')
      .where({ deployment_id: deploymentId, status: 'Success' })
      .countDistinct({ count: 'source_id' });
    const [{ count: failing }] = await knex('records')
      .where({ deployment_id: deploymentId, status: 'Failed' })
      .count({ count: '*' });
    const [{ count: onRetry }] = await knex('snapshots')
      .where({ deployment_id: deploymentId, status: 'Success' })
      .whereIn('attempt_kind', ['retry', 'resync'])
      .countDistinct({ count: 'source_id' });

    expect(report.totals.synced).toBe(Number(written));
    expect(report.totals.stillFailing).toBe(Number(failing));
    expect(report.totals.succeededOnRetry).toBe(Number(onRetry));
  });
});
