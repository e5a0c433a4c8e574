import { hourlyAuto, minutesAfter, RetryHarness } from '../helpers/retry-harness';

let harness: RetryHarness;

beforeAll(async () => {
  harness = await RetryHarness.start();
});

afterAll(() => harness?.stop());

const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function triesOf(deploymentId: string): Promise<number[]> {
  return (await harness.records(deploymentId)).map((r) => r.tries);
}

describe('25 eligible records with batch size 10', () => {
  it('are retried 10, 10 and 5 over three slots, none losing an attempt', async () => {
    const fourteen = await harness.nextUtc('14:00');
    await harness.sleepUntil(fourteen);
    await harness.writeRecords(
      'batch.jsonl',
      ids(25).map((id) => ({ id, name: null })),
    );
    const deploymentId = await harness.deploy('batch', 'batch.jsonl', {
      ...hourlyAuto,
      batchSize: 10,
    });
    await harness.runMain(deploymentId);
    await harness.writeRecords(
      'batch.jsonl',
      ids(25).map((id) => ({ id, name: `record ${id}` })),
    );

    const retried = async () => (await triesOf(deploymentId)).filter((t) => t === 2).length;
    await harness.sleepUntil(minutesAfter(fourteen, 65));
    expect(await retried()).toBe(10);
    await harness.sleepUntil(minutesAfter(fourteen, 125));
    expect(await retried()).toBe(20);
    await harness.sleepUntil(minutesAfter(fourteen, 185));
    expect(await retried()).toBe(25);

    const rows = await harness.records(deploymentId);
    expect(rows.every((r) => r.status === 'Success' && r.retry_state === null)).toBe(true);
    const runs = await harness.db
      .knex('executions')
      .where({ deployment_id: deploymentId, kind: 'retry' })
      .orderBy('id');
    expect(runs.map((r) => [r.records_fetched, r.records_succeeded])).toEqual([
      [10, 10],
      [10, 10],
      [5, 5],
    ]);
    const snapshots = await harness.db.knex('snapshots').where({ deployment_id: deploymentId });
    expect(snapshots).toHaveLength(50);
  });
});

describe('redeploying from interval 1 h to 3 h while lifecycles wait', () => {
  it('moves the next retry to three hours after the redeploy', async () => {
    const fourteen = await harness.nextUtc('14:00');
    await harness.sleepUntil(fourteen);
    await harness.writeRecords('slower.jsonl', [{ id: 1, name: null }]);
    const deploymentId = await harness.deploy('slower', 'slower.jsonl', hourlyAuto);
    await harness.runMain(deploymentId);

    await harness.sleepUntil(minutesAfter(fourteen, 30));
    const planned = (await harness.record(deploymentId, '1')).next_retry_at;
    await harness.redeploy('slower', { ...hourlyAuto, interval: 3 });
    await until(
      async () =>
        (await harness.record(deploymentId, '1')).next_retry_at.getTime() !== planned.getTime(),
    );

    // The new anchor is the redeploy's instant, 14:30 and a few milliseconds of the test clock.
    const moved: Date = (await harness.record(deploymentId, '1')).next_retry_at;
    expect(new Date(moved.getTime() - (moved.getTime() % 60_000)).toISOString()).toBe(
      minutesAfter(fourteen, 3 * 60 + 30),
    );
    await harness.sleepUntil(minutesAfter(fourteen, 3 * 60 + 29));
    expect((await harness.record(deploymentId, '1')).tries).toBe(1);
    await harness.sleepUntil(minutesAfter(fourteen, 3 * 60 + 31));
    const attempts = await harness.attempts(deploymentId, '1');
    expect(attempts.map(([kind]) => kind)).toEqual(['main', 'retry']);
    expect(attempts[1][1] >= minutesAfter(fourteen, 3 * 60 + 30)).toBe(true);
  });
});

describe('switching a deployment to manual mode', () => {
  it('stops automatic retries, and switching back to auto resumes them with the budget left', async () => {
    const fourteen = await harness.nextUtc('14:00');
    await harness.sleepUntil(fourteen);
    await harness.writeRecords('manual.jsonl', [{ id: 1, name: null }]);
    const deploymentId = await harness.deploy('manual', 'manual.jsonl', hourlyAuto);
    await harness.runMain(deploymentId);
    await harness.sleepUntil(minutesAfter(fourteen, 65));
    expect(await harness.record(deploymentId, '1')).toMatchObject({
      tries: 2,
      auto_retries_used: 1,
    });

    await harness.redeploy('manual', { ...hourlyAuto, mode: 'manual' });
    expect(await harness.lifecycleEnd(deploymentId, '1')).toBe('paused');
    await harness.sleepUntil(minutesAfter(fourteen, 5 * 60));
    expect(await harness.record(deploymentId, '1')).toMatchObject({
      status: 'Failed',
      tries: 2,
      retry_state: 'paused',
      auto_retries_used: 1,
    });

    await harness.redeploy('manual', hourlyAuto);
    await harness.sleepUntil(minutesAfter(fourteen, 6 * 60 + 5));
    expect(await harness.record(deploymentId, '1')).toMatchObject({
      tries: 3,
      auto_retries_used: 2,
      retry_state: 'waiting',
    });
  });
});

describe('undeploying', () => {
  it('stops automatic retries and keeps the ledger', async () => {
    const fourteen = await harness.nextUtc('14:00');
    await harness.sleepUntil(fourteen);
    await harness.writeRecords('gone.jsonl', [
      { id: 1, name: null },
      { id: 2, name: 'fine' },
    ]);
    const deploymentId = await harness.deploy('gone', 'gone.jsonl', hourlyAuto);
    await harness.runMain(deploymentId);

    await harness.services.deployments.undeploy(harness.environment, 'gone');
    expect(await harness.lifecycleEnd(deploymentId, '1')).toBe('paused');
    await harness.sleepUntil(minutesAfter(fourteen, 3 * 60));

    const rows = await harness.records(deploymentId);
    expect(rows.map((r) => [r.source_id, r.status, r.tries, r.retry_state])).toEqual([
      ['1', 'Failed', 1, 'paused'],
      ['2', 'Success', 1, null],
    ]);
  });
});

describe('redeploying with the same retry schedule', () => {
  it('leaves the next retry where it was', async () => {
    const fourteen = await harness.nextUtc('14:00');
    await harness.sleepUntil(fourteen);
    await harness.writeRecords('same.jsonl', [{ id: 1, name: null }]);
    const deploymentId = await harness.deploy('same', 'same.jsonl', hourlyAuto);
    await harness.runMain(deploymentId);

    await harness.sleepUntil(minutesAfter(fourteen, 40));
    await harness.redeploy('same', { ...hourlyAuto, batchSize: 50 });

    await harness.sleepUntil(minutesAfter(fourteen, 65));
    expect(await harness.record(deploymentId, '1')).toMatchObject({
      tries: 2,
      auto_retries_used: 1,
    });
  });
});

describe('switching to manual mode and straight back to auto', () => {
  it('keeps retrying: the last setting wins', async () => {
    const fourteen = await harness.nextUtc('14:00');
    await harness.sleepUntil(fourteen);
    await harness.writeRecords('flip.jsonl', [{ id: 1, name: null }]);
    const deploymentId = await harness.deploy('flip', 'flip.jsonl', hourlyAuto);
    await harness.runMain(deploymentId);

    await harness.redeploy('flip', { ...hourlyAuto, mode: 'manual' });
    await harness.redeploy('flip', hourlyAuto);

    await harness.sleepUntil(minutesAfter(fourteen, 65));
    expect(await harness.record(deploymentId, '1')).toMatchObject({
      tries: 2,
      auto_retries_used: 1,
      retry_state: 'waiting',
    });
  });
});

/** Polls until the check holds; the test's timeout bounds it. */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 100));
}
