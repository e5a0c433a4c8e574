import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { createDefaultConnectors } from '../../src/connectors/default-connectors';
import type { ConnectorRegistry } from '../../src/connectors/connector-registry';
import type { Agent } from '../../src/domain/environment';
import type { Execution } from '../../src/domain/execution';
import { syncSettingsSchema, type SyncSettings } from '../../src/domain/sync-settings';
import { createLogger } from '../../src/logger';
import { createServices, type Services } from '../../src/services/create-services';
import { createStores } from '../../src/stores/create-stores';
import { lifecycleWorkflowId } from '../../src/temporal/workflow-ids';
import { createProcessflowWorker } from '../../src/worker-composition';
import { searchAttributeKeys } from '../../src/workflows/search-attributes';
import { setSecret, unsetSecret } from './secrets';
import { createTestDatabase, type TestDatabase } from './database';
import { createTimeSkippingEnv } from './time-skipping';
import { workflowBundle } from './workflow-bundle';

/** The settings of the product's worked example: hourly, 1 h apart, 20 min time lapse. */
export const hourlyAuto = {
  mode: 'auto' as const,
  frequency: 'hourly' as const,
  interval: 1,
  timeLapse: 20,
};

/** An ISO time `minutes` after another. */
export const minutesAfter = (iso: string, minutes: number) =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** The time-skipping server has no DescribeTaskQueue: its one worker is the agent. */
const alwaysAttached = {
  async liveAgents(): Promise<Agent[]> {
    return [{ identity: 'time-skipping worker', lastSeenAt: new Date() }];
  },
};

/**
 * Automatic retries on Temporal's time-skipping test server, with a real worker and a real
 * Postgres: hours and days of retry slots pass in seconds, with the product's own settings.
 * The services stamp deployments with the test server's clock.
 */
export class RetryHarness {
  private constructor(
    /** How far the test server's clock is ahead of the machine's. */
    private readonly clock: { offsetMs: number },
    readonly env: TestWorkflowEnvironment,
    readonly db: TestDatabase,
    readonly services: Services,
    readonly environment: string,
    readonly files: string,
    readonly destinationSecret: string,
    private readonly worker: Worker,
    private readonly running: Promise<void>,
    private readonly connectors: ConnectorRegistry,
  ) {}

  static async start(): Promise<RetryHarness> {
    const id = randomBytes(4).toString('hex');
    const env = await createTimeSkippingEnv(searchAttributeKeys);
    const db = await createTestDatabase();
    const files = await mkdtemp(join(tmpdir(), 'processflow-retry-'));
    const destinationSecret = `TEST_RETRY_DESTINATION_${id.toUpperCase()}`;
    setSecret(destinationSecret, db.url);
    await db.knex.raw('create schema dest');

    const config = loadConfig({
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: 'unused:1',
      FILE_SOURCE_ROOT: files,
      LOG_LEVEL: 'silent',
    });
    const log = createLogger('silent');
    const connectors = createDefaultConnectors({
      fileSource: { root: files, maxRecordBytes: config.maxRecordBytes },
    });
    const stores = createStores(db.knex);
    const clock = { offsetMs: 0 };
    const services = createServices({
      db: db.knex,
      stores,
      connectors,
      client: env.client,
      log,
      probe: alwaysAttached,
      now: () => new Date(Date.now() + clock.offsetMs),
    });
    const environment = `retry-${id}`;
    await services.environments.upsert(environment, 'time-skipping');

    const { worker } = await createProcessflowWorker({
      config,
      db: db.knex,
      connection: env.nativeConnection,
      client: env.client,
      environment,
      log,
      connectors,
      workflowBundle: await workflowBundle(),
    });
    const harness = new RetryHarness(
      clock,
      env,
      db,
      services,
      environment,
      files,
      destinationSecret,
      worker,
      worker.run(),
      connectors,
    );
    await harness.syncClock();
    return harness;
  }

  /** The test server's time. */
  async now(): Promise<number> {
    return this.env.currentTimeMs();
  }

  /** Lets time pass on the server until `iso`: timers fire, slots run, workflows move. */
  async sleepUntil(iso: string): Promise<void> {
    const wait = Date.parse(iso) - (await this.now());
    if (wait < 0) throw new Error(`${iso} has already passed on the test server`);
    await this.env.sleep(wait);
    await this.syncClock();
  }

  /** The next occurrence of a UTC time of day (HH:MM) on the test server. */
  async nextUtc(hhmm: string): Promise<string> {
    const now = new Date(await this.now());
    const [h, m] = hhmm.split(':').map(Number);
    const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m));
    if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
    return at.toISOString();
  }

  async writeRecords(file: string, records: { id: number; name: string | null }[]): Promise<void> {
    await writeFile(
      join(this.files, file),
      records.map((r) => JSON.stringify(r)).join('\n') + '\n',
    );
  }

  /** A processflow from `file` into dest.<name, dashes as underscores> (name text not null). */
  async deploy(name: string, file: string, settings: Partial<SyncSettings>): Promise<string> {
    const table = name.replace(/-/g, '_');
    await this.db.knex.raw(
      `create table if not exists dest.${table} (id integer primary key, name text not null)`,
    );
    await this.services.processflows.save({
      name,
      description: `${name} retry test`,
      source: { name: 'Records file', connector: 'file', config: { path: file }, idField: 'id' },
      steps: [{ name: 'Map', type: 'map', expression: '{ "id": id, "name": name }' }],
      destination: {
        name: 'Table',
        connector: 'postgres',
        config: {
          connectionSecret: this.destinationSecret,
          schema: 'dest',
          table,
          key: ['id'],
        },
      },
    });
    return this.redeploy(name, settings);
  }

  async redeploy(name: string, settings: Partial<SyncSettings>): Promise<string> {
    const { deployment } = await this.services.deployments.deploy({
      environmentName: this.environment,
      processflowName: name,
      settings: syncSettingsSchema.parse(settings),
    });
    return deployment.id;
  }

  async runMain(deploymentId: string): Promise<Execution> {
    const started = await this.services.executions.executeNow(deploymentId, 'test');
    return this.waitForExecution(started.id);
  }

  /** Resyncs records by id and waits for the resync run to end. */
  async resync(deploymentId: string, sourceIds: string[]) {
    const { resync } = await this.services.resyncs.start(deploymentId, {
      selection: { sourceIds },
    });
    if (resync.executionId !== null) await this.waitForExecution(resync.executionId);
    return this.services.resyncs.get(resync.id);
  }

  /**
   * Waits for an execution to end while server time stands still. (Awaiting a workflow's result
   * through the test client would let time run on to the next timer as soon as it ends.)
   */
  async waitForExecution(executionId: number): Promise<Execution> {
    for (;;) {
      const execution = await this.services.executions.get(executionId);
      if (execution.status !== 'running') return execution;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** How a record's retry lifecycle ended (waits for it, letting time pass). */
  async lifecycleEnd(deploymentId: string, sourceId: string): Promise<string> {
    return this.env.client.workflow.getHandle(lifecycleWorkflowId(deploymentId, sourceId)).result();
  }

  async record(deploymentId: string, sourceId: string) {
    return this.db
      .knex('records')
      .where({ deployment_id: deploymentId, source_id: sourceId })
      .first();
  }

  async records(deploymentId: string) {
    return this.db.knex('records').where({ deployment_id: deploymentId }).orderBy('source_id');
  }

  /** When each attempt on a record started, oldest first, with its kind. */
  async attempts(deploymentId: string, sourceId: string): Promise<[string, string, number][]> {
    const rows = await this.db
      .knex('snapshots')
      .where({ deployment_id: deploymentId, source_id: sourceId })
      .orderBy('id');
    return rows.map((r) => [r.attempt_kind, r.started_at.toISOString(), r.try_number]);
  }

  private async syncClock() {
    this.clock.offsetMs = (await this.now()) - Date.now();
  }

  async stop(): Promise<void> {
    this.worker.shutdown();
    await this.running;
    await this.connectors.close();
    await this.env.teardown();
    await this.db.destroy();
    await rm(this.files, { recursive: true, force: true });
    unsetSecret(this.destinationSecret);
  }
}
