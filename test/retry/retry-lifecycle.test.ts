import { hourlyAuto, minutesAfter, RetryHarness } from '../helpers/retry-harness';

let harness: RetryHarness;

beforeAll(async () => {
  harness = await RetryHarness.start();
});

afterAll(() => harness?.stop());

describe('a record failing at 14:00, deployed and first run at 14:00, time lapse 20 min, interval 1 h', () => {
  it('is retried at 15:00: not at 14:20, not at 16:00', async () => {
    const fourteen = await harness.nextUtc('14:00');
    await harness.sleepUntil(fourteen);
    await harness.writeRecords('example.jsonl', [{ id: 1, name: null }]);
    const deploymentId = await harness.deploy('example', 'example.jsonl', hourlyAuto);

    await harness.runMain(deploymentId);
    const afterMain = await harness.record(deploymentId, '1');
    expect(afterMain).toMatchObject({ status: 'Failed', tries: 1, retry_state: 'waiting' });
    const { retryAnchorAt } = await harness.services.deployments.get(deploymentId);
    expect(afterMain.next_retry_at.getTime()).toBe(retryAnchorAt.getTime() + 3_600_000);

    await harness.sleepUntil(minutesAfter(fourteen, 59));
    expect((await harness.record(deploymentId, '1')).tries).toBe(1);

    await harness.sleepUntil(minutesAfter(fourteen, 61));
    const attempts = await harness.attempts(deploymentId, '1');
    expect(attempts.map(([kind, , tryNumber]) => [kind, tryNumber])).toEqual([
      ['main', 1],
      ['retry', 2],
    ]);
    const retriedAt = Date.parse(attempts[1][1]) - Date.parse(fourteen);
    expect(retriedAt).toBeGreaterThanOrEqual(60 * 60_000);
    expect(retriedAt).toBeLessThan(61 * 60_000);
    expect(await harness.record(deploymentId, '1')).toMatchObject({
      status: 'Failed',
      tries: 2,
      auto_retries_used: 1,
      retry_state: 'waiting',
    });
  });
});

describe('a record that never recovers', () => {
  it('is retried four times at the slots, then stays Failed with retries exhausted', async () => {
    const fourteen = await harness.nextUtc('14:00');
    await harness.sleepUntil(fourteen);
    await harness.writeRecords('never.jsonl', [{ id: 1, name: null }]);
    const deploymentId = await harness.deploy('never', 'never.jsonl', hourlyAuto);
    await harness.runMain(deploymentId);

    expect(await harness.lifecycleEnd(deploymentId, '1')).toBe('exhausted');

    const attempts = await harness.attempts(deploymentId, '1');
    expect(attempts.map(([kind, , tryNumber]) => `${kind} ${tryNumber}`)).toEqual([
      'main 1',
      'retry 2',
      'retry 3',
      'retry 4',
      'retry 5',
    ]);
    const hoursAfter = attempts
      .slice(1)
      .map(([, startedAt]) =>
        Math.floor((Date.parse(startedAt) - Date.parse(fourteen)) / 3_600_000),
      );
    expect(hoursAfter).toEqual([1, 2, 3, 4]);
    expect(await harness.record(deploymentId, '1')).toMatchObject({
      status: 'Failed',
      tries: 5,
      auto_retries_used: 4,
      retry_state: 'exhausted',
      next_retry_at: null,
    });

    await harness.sleepUntil(minutesAfter(fourteen, 7 * 60));
    expect((await harness.record(deploymentId, '1')).tries).toBe(5);
  });
});

describe('a record fixed at the source after its second automatic retry failed', () => {
  it('is written with the fixed value by the third retry', async () => {
    const fourteen = await harness.nextUtc('14:00');
    await harness.sleepUntil(fourteen);
    await harness.writeRecords('fixed.jsonl', [{ id: 1, name: null }]);
    const deploymentId = await harness.deploy('fixed', 'fixed.jsonl', hourlyAuto);
    await harness.runMain(deploymentId);

    await harness.sleepUntil(minutesAfter(fourteen, 150));
    expect(await harness.record(deploymentId, '1')).toMatchObject({
      tries: 3,
      auto_retries_used: 2,
    });
    await harness.writeRecords('fixed.jsonl', [{ id: 1, name: 'fixed at the source' }]);

    expect(await harness.lifecycleEnd(deploymentId, '1')).toBe('succeeded');
    expect(await harness.record(deploymentId, '1')).toMatchObject({
      status: 'Success',
      tries: 4,
      retry_state: null,
      last_error: null,
    });
    expect(await harness.db.knex('dest.fixed')).toEqual([{ id: 1, name: 'fixed at the source' }]);
    const attempts = await harness.attempts(deploymentId, '1');
    expect(Math.floor((Date.parse(attempts[3][1]) - Date.parse(fourteen)) / 3_600_000)).toBe(3);
  });
});
