import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/api/create-app';
import { createDefaultConnectors } from '../../src/connectors/default-connectors';
import { type Role, systemActor } from '../../src/domain/access';
import type { Deployment } from '../../src/domain/deployment';
import type { Agent } from '../../src/domain/environment';
import type { Execution } from '../../src/domain/execution';
import type { RecordStatus } from '../../src/domain/ledger';
import {
  type ProcessflowDefinition,
  processflowDefinitionSchema,
} from '../../src/domain/processflow-definition';
import { syncSettingsSchema } from '../../src/domain/sync-settings';
import { createServices, type Services } from '../../src/services/create-services';
import { createStores, type Stores } from '../../src/stores/create-stores';
import type { AgentProbe } from '../../src/temporal/agent-probe';
import type { ExecutionLauncher } from '../../src/temporal/execution-launcher';
import type { RetryControl } from '../../src/temporal/retry-control';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/** Agents per task queue; a queue without any is an inactive environment. */
export class FakeAgentProbe implements AgentProbe {
  private readonly agents = new Map<string, Agent[]>();
  /** Set to make the probe fail as it does when Temporal cannot be reached. */
  failWith?: Error;

  attach(environment: string, identity = `agent@${environment}`) {
    this.agents.set(`processflow-${environment}`, [{ identity, lastSeenAt: new Date() }]);
  }

  detach(environment: string) {
    this.agents.delete(`processflow-${environment}`);
  }

  async liveAgents(taskQueue: string): Promise<Agent[]> {
    if (this.failWith) throw this.failWith;
    return this.agents.get(taskQueue) ?? [];
  }
}

/** Remembers what it was asked to start and cancel; `failWith` makes starts throw. */
export class FakeExecutionLauncher implements ExecutionLauncher {
  readonly started: Execution[] = [];
  readonly resyncs: { execution: Execution; resyncId: string }[] = [];
  readonly cancelled: Execution[] = [];
  failWith?: Error;

  async start(_deployment: Deployment, execution: Execution): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.started.push(execution);
  }

  async startResync(_deployment: Deployment, execution: Execution, resyncId: string) {
    if (this.failWith) throw this.failWith;
    this.resyncs.push({ execution, resyncId });
  }

  async cancel(execution: Execution): Promise<void> {
    this.cancelled.push(execution);
  }
}

const SOURCE_NODE = 'Orders file';

/** Remembers the deployments whose automatic retries it was asked to apply. */
export class FakeRetryControl implements RetryControl {
  readonly applied: Deployment[] = [];

  async apply(deployment: Deployment): Promise<void> {
    this.applied.push(deployment);
  }
}

export interface SeededRecord {
  sourceId: string;
  status: RecordStatus;
  node?: string;
  error?: string;
  nodes?: unknown[];
  retryState?: string;
  autoRetriesUsed?: number;
}

/**
 * The API over real services and a real database for one test file; only the agent probe, the
 * execution launcher and the retry control (the edge towards Temporal) are fakes.
 */
export class ApiHarness {
  private constructor(
    readonly app: Express,
    readonly db: TestDatabase,
    readonly stores: Stores,
    readonly services: Services,
    private readonly fakes: {
      probe: FakeAgentProbe;
      launcher: FakeExecutionLauncher;
      retryControl: FakeRetryControl;
    },
    /** Every log line the app wrote at info level and above, parsed. */
    readonly log: Record<string, unknown>[],
    private readonly files: string,
    /** An admin token that reaches every environment; `http` sends it. */
    readonly adminToken: string,
  ) {}

  /** Error-level log lines the app wrote, parsed. */
  get errorLog(): Record<string, unknown>[] {
    return this.log.filter((line) => Number(line.level) >= 50);
  }

  static async start(): Promise<ApiHarness> {
    const db = await createTestDatabase();
    const files = await mkdtemp(join(tmpdir(), 'processflow-api-files-'));
    const connectors = createDefaultConnectors({
      fileSource: { root: files, maxRecordBytes: 1_048_576 },
    });
    const stores = createStores(db.knex);
    const probe = new FakeAgentProbe();
    const launcher = new FakeExecutionLauncher();
    const logLines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, capture(logLines));
    const retryControl = new FakeRetryControl();
    // The probe, the launcher and the retry control are the only users of the Temporal client.
    const client = {} as Client;
    const services = createServices({
      db: db.knex,
      stores,
      connectors,
      client,
      log,
      probe,
      launcher,
      retryControl,
      // Temporal is out of reach in these tests: readiness asks this instead.
      temporalPing: async () => {},
    });
    const app = createApp({ services, log });
    const fakes = { probe, launcher, retryControl };
    const { secret } = await services.tokens.create(
      { name: 'test admin', role: 'admin' },
      systemActor('test'),
    );
    return new ApiHarness(app, db, stores, services, fakes, logLines, files, secret);
  }

  /** A new token with this role and scope (default: every environment). */
  async token(role: Role, environments?: string[]): Promise<string> {
    const { secret } = await this.services.tokens.create(
      { name: `test ${role}`, role, environments },
      systemActor('test'),
    );
    return secret;
  }

  /** Requests that send this token. */
  as(token: string) {
    return request.agent(this.app).set('authorization', `Bearer ${token}`);
  }

  /** Requests without a token. */
  get anonymous() {
    return request(this.app);
  }

  get probe() {
    return this.fakes.probe;
  }

  get launcher() {
    return this.fakes.launcher;
  }

  get retryControl() {
    return this.fakes.retryControl;
  }

  /** Requests as an admin that reaches every environment. */
  get http() {
    return this.as(this.adminToken);
  }

  /** A definition that passes validation: file source, one map step, PostgreSQL destination. */
  definition(name: string, overrides: Partial<ProcessflowDefinition> = {}) {
    return {
      name,
      description: `${name} flow`,
      source: {
        name: SOURCE_NODE,
        connector: 'file',
        config: { path: 'orders.jsonl' },
        idField: 'id',
      },
      steps: [{ name: 'Shape', type: 'map' as const, expression: '{ "id": id, "total": total }' }],
      destination: {
        name: 'Orders table',
        connector: 'postgres',
        config: { connectionSecret: 'ORDERS_DB', table: 'orders', key: ['id'] },
      },
      ...overrides,
    };
  }

  /** An environment with a deployed processflow; answers the deployment. */
  async deploy(environment: string, processflow: string): Promise<Deployment> {
    await this.services.environments.upsert(environment, '');
    await this.services.processflows.save(
      processflowDefinitionSchema.parse(this.definition(processflow)),
    );
    const { deployment } = await this.services.deployments.deploy({
      environmentName: environment,
      processflowName: processflow,
      settings: syncSettingsSchema.parse({}),
    });
    return deployment;
  }

  /**
   * Writes ledger rows and snapshots as one finished main run leaves them, in SQL so that the
   * seed does not depend on how the run computes them. Answers the run.
   */
  async seedRun(deploymentId: string, records: SeededRecord[]): Promise<Execution> {
    const execution = await this.stores.executions.create({
      deploymentId,
      kind: 'main',
      version: 1,
      trigger: 'test',
    });
    const at = new Date();
    const attempted = records.filter((record) => record.status !== 'Unprocessed');
    if (records.length === 0) return execution;

    // A record seeded again, as by a later run, keeps one ledger row.
    await this.db
      .knex('records')
      .insert(records.map((record) => ledgerRow(deploymentId, execution, record, at)))
      .onConflict(['deployment_id', 'source_id'])
      .merge();
    if (attempted.length > 0) {
      await this.db
        .knex('snapshots')
        .insert(attempted.map((r) => snapshotRow(deploymentId, execution, r, at)));
    }
    return execution;
  }

  async stop(): Promise<void> {
    await this.db.destroy();
    await rm(this.files, { recursive: true, force: true });
  }
}

function ledgerRow(deploymentId: string, execution: Execution, record: SeededRecord, at: Date) {
  const attempted = record.status !== 'Unprocessed';
  const failed = record.status === 'Failed';
  return {
    deployment_id: deploymentId,
    source_id: record.sourceId,
    node_name: record.node ?? SOURCE_NODE,
    status: record.status,
    tries: attempted ? 1 : 0,
    last_execution_id: attempted ? execution.id : null,
    last_attempt_kind: attempted ? 'main' : null,
    last_attempt_at: attempted ? at : null,
    last_error: failed ? (record.error ?? 'refused by the destination') : null,
    last_error_node: failed ? 'Orders table' : null,
    retry_state: record.retryState ?? null,
    auto_retries_used: record.autoRetriesUsed ?? 0,
  };
}

function snapshotRow(deploymentId: string, execution: Execution, record: SeededRecord, at: Date) {
  const nodes = record.nodes ?? [
    { node: SOURCE_NODE, kind: 'source', output: { id: record.sourceId }, ms: 0 },
  ];
  return {
    deployment_id: deploymentId,
    source_id: record.sourceId,
    execution_id: execution.id,
    attempt_kind: 'main',
    try_number: 1,
    status: record.status,
    nodes: JSON.stringify(nodes),
    error: record.status === 'Failed' ? (record.error ?? 'refused by the destination') : null,
    payload_bytes: Buffer.byteLength(JSON.stringify(nodes)),
    truncated: false,
    started_at: at,
    finished_at: at,
  };
}

function capture(lines: Record<string, unknown>[]) {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')));
      done();
    },
  });
}
