import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { projectRoot } from '../src/local/project-paths';
import { registerSearchAttributes } from '../src/local/search-attributes';
import { greetingWorkflow, sleepThenGreetWorkflow } from './fixtures/smoke-workflows';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { connectToDevServer, type DevServerConnection } from './helpers/dev-server';
import { createTimeSkippingEnv } from './helpers/time-skipping';
import { workflowBundle } from './helpers/workflow-bundle';

const fixtureWorkflows = path.join(__dirname, 'fixtures/smoke-workflows.ts');
const smokeKey = defineSearchAttributeKey('SmokeTestKeyword', SearchAttributeType.KEYWORD);
const THREE_DAYS_MS = 3 * 24 * 60 * 60 * 1000;

function smokeActivities() {
  return { greet: jest.fn(async (name: string) => `Hello, ${name}!`) };
}

describe('a database cloned from the template', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(() => db?.destroy());

  it('answers queries in its own database', async () => {
    const { rows } = await db.knex.raw('select current_database() as name');

    expect(rows[0].name).toBe(db.name);
  });

  it('carries every migration', async () => {
    const files = fs.readdirSync(path.join(projectRoot(), 'migrations'));
    const migrations = files.filter((file) => file.endsWith('.js'));

    const applied = await db.knex('knex_migrations').pluck('name');

    expect(applied.sort()).toEqual(migrations.sort());
  });
});

describe('the Temporal dev server', () => {
  let server: DevServerConnection;

  beforeAll(async () => {
    server = await connectToDevServer();
  });

  afterAll(() => server?.close());

  it('runs a workflow on a worker', async () => {
    const taskQueue = `smoke-${randomUUID()}`;
    const activities = smokeActivities();
    const worker = await Worker.create({
      connection: server.nativeConnection,
      namespace: server.namespace,
      taskQueue,
      workflowBundle: await workflowBundle(fixtureWorkflows),
      activities,
    });

    const result = await worker.runUntil(
      server.client.workflow.execute(greetingWorkflow, {
        taskQueue,
        workflowId: `greeting-${randomUUID()}`,
        args: ['processflow'],
      }),
    );

    expect(result).toBe('Hello, processflow!');
    expect(activities.greet).toHaveBeenCalledWith('processflow');
  });

  it('shows a search attribute registered at run time on describe()', async () => {
    await registerSearchAttributes(server.connection, [smokeKey], server.namespace);
    await registerSearchAttributes(server.connection, [smokeKey], server.namespace);

    const handle = await server.client.workflow.start(sleepThenGreetWorkflow, {
      taskQueue: `no-worker-${randomUUID()}`,
      workflowId: `searchable-${randomUUID()}`,
      args: ['1 day', 'nobody'],
      typedSearchAttributes: [{ key: smokeKey, value: 'dev-server' }],
    });
    const description = await handle.describe();
    await handle.terminate('smoke test done');

    expect(description.typedSearchAttributes.get(smokeKey)).toBe('dev-server');
  });
});

describe('the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv([smokeKey]);
  });

  afterAll(() => env?.teardown());

  it('skips a three-day sleep: the server clock moves on three days', async () => {
    const taskQueue = `smoke-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(fixtureWorkflows),
      activities: smokeActivities(),
    });
    const serverTimeBefore = await env.currentTimeMs();

    const result = await worker.runUntil(
      env.client.workflow.execute(sleepThenGreetWorkflow, {
        taskQueue,
        workflowId: `sleeper-${randomUUID()}`,
        args: ['3 days', 'sleeper'],
      }),
    );

    expect(result).toBe('Hello, sleeper!');
    expect((await env.currentTimeMs()) - serverTimeBefore).toBeGreaterThanOrEqual(THREE_DAYS_MS);
  });

  it('shows a registered search attribute on describe()', async () => {
    const handle = await env.client.workflow.start(sleepThenGreetWorkflow, {
      taskQueue: `no-worker-${randomUUID()}`,
      workflowId: `searchable-${randomUUID()}`,
      args: ['1 day', 'nobody'],
      typedSearchAttributes: [{ key: smokeKey, value: 'time-skipping' }],
    });
    const description = await handle.describe();
    await handle.terminate('smoke test done');

    expect(description.typedSearchAttributes.get(smokeKey)).toBe('time-skipping');
  });
});
