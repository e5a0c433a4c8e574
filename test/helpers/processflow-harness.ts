import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import type { ConnectorRegistry } from '../../src/connectors/connector-registry';
import { createDefaultConnectors } from '../../src/connectors/default-connectors';
import type { Execution } from '../../src/domain/execution';
import type { ProcessflowDefinition } from '../../src/domain/processflow-definition';
import { syncSettingsSchema, type SyncSettings } from '../../src/domain/sync-settings';
import { registerSearchAttributes } from '../../src/local/search-attributes';
import { createLogger } from '../../src/logger';
import { createServices, type Services } from '../../src/services/create-services';
import { createStores, type Stores } from '../../src/stores/create-stores';
import { createProcessflowWorker } from '../../src/worker-composition';
import { searchAttributeKeys } from '../../src/workflows/search-attributes';
import { setSecret, unsetSecret } from './secrets';
import { createTestDatabase, type TestDatabase } from './database';
import { connectToDevServer, type DevServerConnection } from './dev-server';
import { workflowBundle } from './workflow-bundle';

export interface HarnessOptions {
  pageSize?: number;
  /** The clock deployments are stamped with (default: the machine's). */
  now?: () => Date;
  /** Extra connectors beside the shipped ones (fakes of third-party applications). */
  addConnectors?: (registry: ConnectorRegistry) => void;
  /** A database of one's own (default: a clone of the run's template); the harness closes it. */
  database?: TestDatabase;
  /** A Temporal server of one's own (default: the run's dev server); the harness closes it. */
  server?: DevServerConnection;
  /** false: no agent until startWorker() (or one in a child process). */
  startWorker?: boolean;
  /** How long a stopping agent lets running activities finish (default: 30 s). */
  shutdownGraceSeconds?: number;
}

/**
 * A real processflow for one test file: its own database (ledger and destination schema
 * `dest`), a worker on the run's Temporal dev server serving its own environment, and the
 * services the API uses.
 */
export class ProcessflowHarness {
  private constructor(
    readonly db: TestDatabase,
    readonly server: DevServerConnection,
    readonly stores: Stores,
    readonly services: Services,
    readonly environment: string,
    readonly files: string,
    readonly destinationSecret: string,
    private readonly connectors: ConnectorRegistry,
    private readonly newWorker: () => Promise<Worker>,
  ) {}

  private agent?: { worker: Worker; running: Promise<void> };

  /** Attaches an agent (a worker) to the harness's environment. */
  async startWorker(): Promise<void> {
    const worker = await this.newWorker();
    this.agent = { worker, running: worker.run() };
  }

  /** Detaches the agent: the environment has no worker until startWorker(). */
  async stopWorker(): Promise<void> {
    if (!this.agent) return;
    this.agent.worker.shutdown();
    await this.agent.running;
    await this.stores.agents.markStopped(
      this.agent.worker.options.identity,
      this.environment,
      new Date(),
    );
    this.agent = undefined;
  }

  static async start(options: HarnessOptions = {}): Promise<ProcessflowHarness> {
    const id = randomBytes(4).toString('hex');
    const db = options.database ?? (await createTestDatabase());
    const server = options.server ?? (await connectToDevServer());
    await registerSearchAttributes(server.connection, searchAttributeKeys, server.namespace);
    const files = await mkdtemp(join(tmpdir(), 'processflow-files-'));
    const destinationSecret = `TEST_DESTINATION_URL_${id.toUpperCase()}`;
    setSecret(destinationSecret, db.url);
    await db.knex.raw('create schema dest');

    const config = loadConfig({
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: 'unused:1',
      FILE_SOURCE_ROOT: files,
      PAGE_SIZE: String(options.pageSize ?? 500),
      LOG_LEVEL: 'silent',
      WORKER_SHUTDOWN_GRACE_SECONDS: String(options.shutdownGraceSeconds ?? 30),
    });
    const log = createLogger('silent');
    const connectors = createDefaultConnectors({
      fileSource: { root: files, maxRecordBytes: config.maxRecordBytes },
    });
    options.addConnectors?.(connectors);
    const stores = createStores(db.knex);
    const services = createServices({
      db: db.knex,
      stores,
      connectors,
      client: server.client,
      log,
      now: options.now,
    });
    const environment = `test-${id}`;
    await services.environments.upsert(environment, 'test');

    const bundle = await workflowBundle();
    const newWorker = async () =>
      (
        await createProcessflowWorker({
          config,
          db: db.knex,
          connection: server.nativeConnection,
          client: server.client,
          environment,
          log,
          connectors,
          workflowBundle: bundle,
        })
      ).worker;
    const harness = new ProcessflowHarness(
      db,
      server,
      stores,
      services,
      environment,
      files,
      destinationSecret,
      connectors,
      newWorker,
    );
    if (options.startWorker === false) return harness;
    await harness.startWorker();
    await harness.waitUntil(async () => (await services.environments.status(environment)).active);
    return harness;
  }

  /** A definition reading `file` (JSON Lines by default) into table dest.<table>. */
  definition(
    name: string,
    file: string,
    table: string,
    overrides: Partial<ProcessflowDefinition> = {},
  ) {
    return {
      name,
      description: `${name} test flow`,
      source: { name: 'Test file', connector: 'file', config: { path: file }, idField: 'id' },
      steps: [{ name: 'Map', type: 'map' as const, expression: '{ "id": id, "name": name }' }],
      destination: {
        name: 'Test table',
        connector: 'postgres',
        config: { connectionSecret: this.destinationSecret, schema: 'dest', table, key: ['id'] },
      },
      ...overrides,
    };
  }

  async writeJsonLines(file: string, lines: (object | string)[]): Promise<void> {
    const text = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
    await writeFile(join(this.files, file), `${text}\n`);
  }

  /** Saves and deploys a definition; answers the deployment id. */
  async deploy(definition: ProcessflowDefinition, settings: Partial<SyncSettings> = {}) {
    const { version } = await this.services.processflows.save(definition);
    const { deployment } = await this.services.deployments.deploy({
      environmentName: this.environment,
      processflowName: definition.name,
      version: version.version,
      settings: syncSettingsSchema.parse(settings),
    });
    return deployment.id;
  }

  /** Starts a main run and waits for its workflow to end, whatever the outcome. */
  async run(deploymentId: string): Promise<Execution> {
    const started = await this.services.executions.executeNow(deploymentId, 'test');
    await this.waitForWorkflow(started.workflowId);
    return this.services.executions.get(started.id);
  }

  async waitForWorkflow(workflowId: string): Promise<void> {
    try {
      await this.server.client.workflow.getHandle(workflowId).result();
    } catch (error) {
      if (!(error instanceof WorkflowFailedError)) throw error;
    }
  }

  async ledger(deploymentId: string) {
    return this.db.knex('records').where({ deployment_id: deploymentId }).orderBy('source_id');
  }

  async snapshots(deploymentId: string) {
    return this.db.knex('snapshots').where({ deployment_id: deploymentId }).orderBy('id');
  }

  async waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async stop(): Promise<void> {
    await this.stopWorker();
    await this.connectors.close();
    await this.server.close();
    await this.db.destroy();
    await rm(this.files, { recursive: true, force: true });
    unsetSecret(this.destinationSecret);
  }
}
