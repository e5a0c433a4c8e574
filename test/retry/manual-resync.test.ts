import { hourlyAuto, minutesAfter, RetryHarness } from '../helpers/retry-harness';

let harness: RetryHarness;

beforeAll(async () => {
  harness = await RetryHarness.start();
});

afterAll(() => harness?.stop());

async function failAtFourteen(name: string) {
  const fourteen = await harness.nextUtc('14:00');
  await harness.sleepUntil(fourteen);
  await harness.writeRecords(`${name}.jsonl`, [{ id: 1, name: null }]);
  const deploymentId = await harness.deploy(name, `${name}.jsonl`, hourlyAuto);
  await harness.runMain(deploymentId);
  return { fourteen, deploymentId };
}

describe('a manual resync while a lifecycle waits', () => {
  it('that fails adds a try but spends none of the automatic retries', async () => {
    const { fourteen, deploymentId } = await failAtFourteen('waiting-fails');
    await harness.sleepUntil(minutesAfter(fourteen, 30));

    const resync = await harness.resync(deploymentId, ['1']);

    expect(resync).toMatchObject({ status: 'completed', total: 1, failed: 1, succeeded: 0 });
    expect(await harness.record(deploymentId, '1')).toMatchObject({
      tries: 2,
      auto_retries_used: 0,
      retry_state: 'waiting',
    });
    await harness.sleepUntil(minutesAfter(fourteen, 65));
    const attempts = await harness.attempts(deploymentId, '1');
    expect(attempts.map(([kind, , n]) => `${kind} ${n}`)).toEqual([
      'main 1',
      'resync 2',
      'retry 3',
    ]);
    expect(await harness.record(deploymentId, '1')).toMatchObject({
      tries: 3,
      auto_retries_used: 1,
    });
  });

  it('that succeeds ends the lifecycle: no automatic retry follows', async () => {
    const { fourteen, deploymentId } = await failAtFourteen('waiting-succeeds');
    await harness.sleepUntil(minutesAfter(fourteen, 30));
    await harness.writeRecords('waiting-succeeds.jsonl', [{ id: 1, name: 'fixed' }]);

    const resync = await harness.resync(deploymentId, ['1']);

    expect(resync).toMatchObject({ status: 'completed', total: 1, succeeded: 1 });
    expect(await harness.lifecycleEnd(deploymentId, '1')).toBe('succeeded');
    await harness.sleepUntil(minutesAfter(fourteen, 125));
    expect(await harness.record(deploymentId, '1')).toMatchObject({ status: 'Success', tries: 2 });
    expect(await harness.db.knex('dest.waiting_succeeds')).toEqual([{ id: 1, name: 'fixed' }]);
  });
});

describe('a manual resync after automatic retries are exhausted', () => {
  it('writes the record once it is fixed at the source', async () => {
    const { deploymentId } = await failAtFourteen('exhausted-fixed');
    expect(await harness.lifecycleEnd(deploymentId, '1')).toBe('exhausted');
    await harness.writeRecords('exhausted-fixed.jsonl', [{ id: 1, name: 'fixed by hand' }]);

    const resync = await harness.resync(deploymentId, ['1']);

    expect(resync).toMatchObject({ status: 'completed', succeeded: 1 });
    expect(await harness.record(deploymentId, '1')).toMatchObject({
      status: 'Success',
      tries: 6,
      retry_state: null,
    });
  });

  it('that fails again starts a fresh lifecycle with four automatic retries', async () => {
    const { deploymentId } = await failAtFourteen('exhausted-again');
    expect(await harness.lifecycleEnd(deploymentId, '1')).toBe('exhausted');

    await harness.resync(deploymentId, ['1']);

    expect(await harness.record(deploymentId, '1')).toMatchObject({
      status: 'Failed',
      tries: 6,
      retry_state: 'waiting',
      auto_retries_used: 0,
    });
    expect(await harness.lifecycleEnd(deploymentId, '1')).toBe('exhausted');
    expect(await harness.record(deploymentId, '1')).toMatchObject({
      tries: 10,
      auto_retries_used: 4,
    });
  });
});

describe('a record gone from the source', () => {
  it('fails its resync with an error that says so', async () => {
    const { deploymentId } = await failAtFourteen('vanished');
    await harness.writeRecords('vanished.jsonl', [{ id: 2, name: 'another' }]);

    const resync = await harness.resync(deploymentId, ['1']);

    expect(resync).toMatchObject({ failed: 1 });
    expect((await harness.record(deploymentId, '1')).last_error).toBe(
      'record "1" is no longer in the source (file connector)',
    );
  });
});
