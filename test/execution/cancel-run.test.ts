import { createBlockingDestination } from '../fixtures/blocking-destination';
import { ProcessflowHarness } from '../helpers/processflow-harness';

let harness: ProcessflowHarness;
const blocking = createBlockingDestination();

beforeAll(async () => {
  harness = await ProcessflowHarness.start({
    pageSize: 2,
    addConnectors: (registry) => registry.addDestination(blocking.connector),
  });
});

afterAll(() => harness?.stop());

/** Deploys a processflow of records 1 to 4 into the blocking destination; answers its id. */
async function deployOverBlocking(name: string): Promise<string> {
  blocking.state.writesStarted = 0;
  await harness.writeJsonLines(
    `${name}.jsonl`,
    [1, 2, 3, 4].map((id) => ({ id, name: `n${id}` })),
  );
  return harness.deploy({
    ...harness.definition(name, `${name}.jsonl`, 'unused'),
    destination: { name: 'Hung app', connector: 'blocking', config: {} },
  });
}

describe('cancelling a run', () => {
  it('leaves the records of the page in progress Unprocessed, with no try and no snapshot', async () => {
    const deploymentId = await deployOverBlocking('slow');

    const started = await harness.services.executions.executeNow(deploymentId, 'test');
    await harness.waitUntil(async () => blocking.state.writesStarted > 0);
    await harness.services.executions.cancel(started.id);
    await harness.waitForWorkflow(started.workflowId);

    const execution = await harness.services.executions.get(started.id);
    expect(execution.status).toBe('cancelled');
    expect(execution.finishedAt).not.toBeNull();
    const rows = await harness.ledger(deploymentId);
    expect(rows.map((r) => [r.source_id, r.status, r.tries])).toEqual([
      ['1', 'Unprocessed', 0],
      ['2', 'Unprocessed', 0],
    ]);
    expect(await harness.snapshots(deploymentId)).toHaveLength(0);
    expect(blocking.state.writesStarted).toBe(1);
  });
});

describe('cancelling a run over records synced before', () => {
  it('leaves each record with its last outcome: nothing synced turns Unprocessed', async () => {
    const deploymentId = await deployOverBlocking('synced');
    blocking.state.answering = true;
    const first = await harness.run(deploymentId);
    blocking.state.answering = false;

    const second = await harness.services.executions.executeNow(deploymentId, 'test');
    await harness.waitUntil(async () => blocking.state.writesStarted > 0);
    await harness.services.executions.cancel(second.id);
    await harness.waitForWorkflow(second.workflowId);

    expect(first.recordsSucceeded).toBe(4);
    expect((await harness.services.executions.get(second.id)).status).toBe('cancelled');
    const rows = await harness.ledger(deploymentId);
    expect(rows.map((r) => [r.source_id, r.status, r.tries])).toEqual([
      ['1', 'Success', 1],
      ['2', 'Success', 1],
      ['3', 'Success', 1],
      ['4', 'Success', 1],
    ]);
  });
});

describe('undeploying during a run', () => {
  it('cancels the run: the page in progress stays Unprocessed and the audit log names the run', async () => {
    const deploymentId = await deployOverBlocking('undeployed');

    const started = await harness.services.executions.executeNow(deploymentId, 'test');
    await harness.waitUntil(async () => blocking.state.writesStarted > 0);
    await harness.services.deployments.undeploy(harness.environment, 'undeployed');
    await harness.waitForWorkflow(started.workflowId);

    expect((await harness.services.executions.get(started.id)).status).toBe('cancelled');
    const rows = await harness.ledger(deploymentId);
    expect(rows.map((r) => [r.source_id, r.status, r.tries])).toEqual([
      ['1', 'Unprocessed', 0],
      ['2', 'Unprocessed', 0],
    ]);
    const [event] = await harness.db
      .knex('audit_events')
      .where({ action: 'deployment.undeploy', target: deploymentId });
    expect(event.details).toEqual({ cancelledExecutions: [started.id] });
  });
});
