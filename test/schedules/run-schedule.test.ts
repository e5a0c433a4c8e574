import { systemActor } from '../../src/domain/access';
import { nextRunTimes } from '../../src/domain/run-schedule';
import { TemporalRunScheduleControl } from '../../src/temporal/run-schedule-control';
import { runScheduleId } from '../../src/temporal/workflow-ids';
import { createBlockingDestination } from '../fixtures/blocking-destination';
import { ProcessflowHarness } from '../helpers/processflow-harness';

const blocking = createBlockingDestination();
const actor = systemActor('test');
let harness: ProcessflowHarness;
let deploymentId: string;

beforeAll(async () => {
  harness = await ProcessflowHarness.start({
    addConnectors: (registry) => registry.addDestination(blocking.connector),
  });
  await harness.db.knex.raw(
    'create table dest.people (id integer primary key, name text not null)',
  );
  await harness.writeJsonLines('people.jsonl', [
    { id: 1, name: 'Ada' },
    { id: 2, name: null },
  ]);
  deploymentId = await harness.deploy(harness.definition('people', 'people.jsonl', 'people'), {
    timezone: 'America/New_York',
  });
});

afterAll(async () => {
  await harness?.services.schedules.remove(deploymentId, actor).catch(() => undefined);
  await harness?.stop();
});

// protobufjs takes a plain number for an int64 field.
const seconds = (iso: string) => ({ seconds: Date.parse(iso) / 1000 }) as never;

/** The times Temporal's own schedule spec matches in a range. */
async function temporalMatches(scheduleId: string, from: string, to: string): Promise<string[]> {
  const { client } = harness.server;
  const answer = await client.workflowService.listScheduleMatchingTimes({
    namespace: client.options.namespace,
    scheduleId,
    startTime: seconds(from),
    endTime: seconds(to),
  });
  return (answer.startTime ?? []).map((t) =>
    new Date(Number(t.seconds) * 1000 + Math.round((t.nanos ?? 0) / 1e6)).toISOString(),
  );
}

const scheduledExecutions = () =>
  harness.db.knex('executions').where({ deployment_id: deploymentId, trigger: 'schedule' });

describe('a schedule in a time zone with DST', () => {
  it.each([{ everyHours: 6 }, { cron: '30 2 * * *' }, { cron: '30 1 * * *' }])(
    'matches in Temporal the run times we predict for %j across both 2027 changes',
    async (input) => {
      const set = await harness.services.schedules.set(deploymentId, input, actor);
      const scheduleId = runScheduleId(deploymentId);

      for (const [from, to] of [
        ['2027-03-13T00:00:00Z', '2027-03-16T00:00:00Z'],
        ['2027-11-06T00:00:00Z', '2027-11-09T00:00:00Z'],
      ]) {
        const predicted = nextRunTimes(set.schedule, new Date(from), 24)
          .filter((d) => d.toISOString() < to)
          .map((d) => d.toISOString());
        expect(await temporalMatches(scheduleId, from, to)).toEqual(predicted);
      }
    },
  );
});

describe('describing, pausing and resuming', () => {
  beforeAll(async () => {
    await harness.services.schedules.set(deploymentId, { everyHours: 1 }, actor);
  });

  it('shows the next run times and the schedule in words', async () => {
    const found = await harness.services.schedules.get(deploymentId);

    expect(found.description).toBe('every 1 h (America/New_York)');
    expect(found.state).toMatchObject({ paused: false, skippedOverlap: 0 });
    const predicted = nextRunTimes(found.schedule, new Date(), 1)[0];
    expect(found.state!.nextRunTimes[0].toISOString()).toBe(predicted.toISOString());
  });

  it('pauses and resumes; the deployment list shows the next run time only while running', async () => {
    const listed = async () =>
      (await harness.services.schedules.forEnvironment(harness.environment)).get(deploymentId);

    const paused = await harness.services.schedules.pause(deploymentId, 'maintenance', actor);

    expect(paused.state).toMatchObject({ paused: true, note: 'maintenance' });
    expect((await listed())?.state?.paused).toBe(true);

    const resumed = await harness.services.schedules.resume(deploymentId, undefined, actor);

    expect(resumed.state).toMatchObject({ paused: false, note: 'resumed by test' });
  });
});

describe('a scheduled run', () => {
  it('is an execution like any other: execution/<deployment>/<n>, ledger and snapshots', async () => {
    await harness.services.schedules.set(deploymentId, { everyHours: 12 }, actor);
    const before = (await scheduledExecutions()).length;

    await harness.services.schedules.trigger(deploymentId, actor);
    await harness.waitUntil(async () => {
      const rows = await scheduledExecutions();
      return rows.length > before && rows.every((r) => r.status !== 'running');
    });

    const [row] = (await scheduledExecutions()).slice(before);
    expect(row).toMatchObject({
      kind: 'main',
      status: 'completed',
      records_fetched: 2,
      records_succeeded: 1,
      records_failed: 1,
    });
    expect(row.workflow_id).toBe(`execution/${deploymentId}/${row.seq}`);
    expect(row.schedule_action_id).toMatch(new RegExp(`^scheduled-run/${deploymentId}-`));
    const ledger = await harness.ledger(deploymentId);
    expect(ledger.map((r) => [r.source_id, r.status, r.last_execution_id])).toEqual([
      ['1', 'Success', row.id],
      ['2', 'Failed', row.id],
    ]);
    const found = await harness.services.schedules.get(deploymentId);
    expect(found.state!.recentRuns.at(-1)!.workflowId).toBe(row.schedule_action_id);
  });
});

describe('a slow run', () => {
  let hungId: string;

  beforeAll(async () => {
    await harness.writeJsonLines('hung.jsonl', [{ id: 1, name: 'Ada' }]);
    hungId = await harness.deploy(
      harness.definition('hung', 'hung.jsonl', 'unused', {
        destination: { name: 'Hung app', connector: 'blocking', config: {} },
      }),
    );
    await harness.services.schedules.set(hungId, { everyHours: 12 }, actor);
  });

  afterAll(() => harness.services.schedules.remove(hungId, actor));

  it('makes the next scheduled run skip, and the schedule says so', async () => {
    await harness.services.schedules.trigger(hungId, actor);
    await harness.waitUntil(async () => blocking.state.writesStarted > 0);

    await harness.services.schedules.trigger(hungId, actor);
    await harness.waitUntil(
      async () => (await harness.services.schedules.get(hungId)).state!.skippedOverlap > 0,
    );

    const found = await harness.services.schedules.get(hungId);
    expect(found.state).toMatchObject({ skippedOverlap: 1, runsStarted: 1 });
    expect(found.state!.running).toHaveLength(1);
    const executions = await harness.db.knex('executions').where({ deployment_id: hungId });
    expect(executions).toHaveLength(1);

    // "Execute now" still starts a run beside the scheduled one.
    const now = await harness.services.executions.executeNow(hungId, 'test');
    expect(now.seq).toBe(2);
    await harness.services.executions.cancel(now.id);
    await harness.services.executions.cancel(executions[0].id);
    await harness.waitForWorkflow(found.state!.running[0]);
  });
});

describe('after downtime of the agents', () => {
  it('starts the missed runs once, not in a burst', async () => {
    await harness.stopWorker();
    const deployment = await harness.services.deployments.get(deploymentId);
    const before = (await scheduledExecutions()).length;
    // Every three seconds (a fraction of a minute, which only code can ask for).
    const control = new TemporalRunScheduleControl(harness.server.client);
    await control.apply(deployment, { everyMinutes: 0.05, timezone: 'UTC' });

    await harness.waitUntil(async () => {
      const state = await control.describe(deploymentId);
      return state !== null && state.runsStarted >= 1 && state.skippedOverlap >= 2;
    });
    const state = (await control.describe(deploymentId))!;
    await control.apply(deployment, null);
    await harness.startWorker();
    await harness.waitForWorkflow(state.running[0]);

    const after = (await scheduledExecutions()).slice(before);
    expect(after).toHaveLength(1);
    expect(after[0].status).toBe('completed');
    expect(state.running).toHaveLength(1);
  });
});
