import { RetryHarness } from '../helpers/retry-harness';

let harness: RetryHarness;

beforeAll(async () => {
  harness = await RetryHarness.start();
});

afterAll(() => harness?.stop());

const dailyBerlin = {
  mode: 'auto' as const,
  frequency: 'daily' as const,
  retryDailyAt: '02:30',
  interval: 23,
  timeLapse: 20,
  timezone: 'Europe/Berlin',
};

/** Fails a record at `failAt`, lets its four retries run, answers when each retry started. */
async function retryTimes(name: string, failAt: string): Promise<string[]> {
  await harness.sleepUntil(failAt);
  await harness.writeRecords(`${name}.jsonl`, [{ id: 1, name: null }]);
  const deploymentId = await harness.deploy(name, `${name}.jsonl`, dailyBerlin);
  await harness.runMain(deploymentId);

  expect(await harness.lifecycleEnd(deploymentId, '1')).toBe('exhausted');
  await harness.services.deployments.undeploy(harness.environment, name);
  const attempts = await harness.attempts(deploymentId, '1');
  expect(attempts.map(([kind]) => kind)).toEqual(['main', 'retry', 'retry', 'retry', 'retry']);
  // Each retry starts within the minute of its slot; compare to the minute.
  return attempts.slice(1).map(([, startedAt]) => startedAt.slice(0, 16));
}

describe('daily retries at 02:30 Europe/Berlin', () => {
  it('run across the 2027 spring change at the first instant after the skipped hour', async () => {
    expect(await retryTimes('spring', '2027-03-26T12:00:00.000Z')).toEqual([
      '2027-03-27T01:30', // 02:30 CET
      '2027-03-28T01:00', // 02:30 does not exist: 03:00 CEST
      '2027-03-29T00:30', // 02:30 CEST
      '2027-03-30T00:30',
    ]);
  });

  it('run once across the 2027 autumn change, at the first 02:30', async () => {
    expect(await retryTimes('autumn', '2027-10-29T12:00:00.000Z')).toEqual([
      '2027-10-30T00:30', // 02:30 CEST
      '2027-10-31T00:30', // 02:30 CEST; 02:30 CET an hour later is not retried again
      '2027-11-01T01:30', // 02:30 CET
      '2027-11-02T01:30',
    ]);
  });
});
