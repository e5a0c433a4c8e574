import { ProcessflowHarness } from '../helpers/processflow-harness';

let harness: ProcessflowHarness;

beforeAll(async () => {
  harness = await ProcessflowHarness.start();
});

afterAll(() => harness?.stop());

describe('an execution in the Temporal UI', () => {
  it('carries its processflow, deployment, environment and kind as search attributes', async () => {
    await harness.db.knex.raw('create table dest.items (id integer primary key, name text)');
    await harness.writeJsonLines('items.jsonl', [{ id: 1, name: 'one' }]);
    const deploymentId = await harness.deploy(harness.definition('items', 'items.jsonl', 'items'));

    const execution = await harness.run(deploymentId);
    const description = await harness.server.client.workflow
      .getHandle(execution.workflowId)
      .describe();

    expect(description.searchAttributes).toMatchObject({
      Processflow: ['items'],
      Deployment: [deploymentId],
      Environment: [harness.environment],
      RunKind: ['main'],
    });
  });

  it('is found by a query on the Deployment attribute', async () => {
    const deploymentId = `items@${harness.environment}`;
    const found: string[] = [];
    await harness.waitUntil(async () => {
      found.length = 0;
      for await (const wf of harness.server.client.workflow.list({
        query: `Deployment = "${deploymentId}"`,
      })) {
        found.push(wf.workflowId);
      }
      return found.length > 0;
    });

    expect(found).toEqual([`execution/${deploymentId}/1`]);
  });
});

describe('an environment without an agent', () => {
  it('is inactive, and refuses to start an execution at once', async () => {
    await harness.services.environments.upsert('nobody-home', '');

    const status = await harness.services.environments.status('nobody-home');

    expect(status).toMatchObject({ active: false, agents: [] });
    await expect(harness.services.environments.assertActive('nobody-home')).rejects.toThrow(
      /environment "nobody-home" has no agent attached/,
    );
  });

  it('shows its agent while a worker polls', async () => {
    const status = await harness.services.environments.status(harness.environment);

    expect(status.active).toBe(true);
    expect(status.agents.length).toBeGreaterThan(0);
  });
});

describe('an environment whose last agent stopped', () => {
  it('is inactive at once, not a minute later when Temporal forgets its pollers', async () => {
    await harness.stopWorker();
    try {
      await harness.waitUntil(
        async () => !(await harness.services.environments.status(harness.environment)).active,
        10_000,
      );
      await expect(harness.services.environments.assertActive(harness.environment)).rejects.toThrow(
        /has no agent attached/,
      );
    } finally {
      await harness.startWorker();
    }
    await harness.waitUntil(
      async () => (await harness.services.environments.status(harness.environment)).active,
    );
  });
});
