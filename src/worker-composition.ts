import type { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from './activities';
import { temporalNow } from './activities/activity-clock';
import type { Config } from './config';
import { createDefaultConnectors } from './connectors/default-connectors';
import type { ConnectorRegistry } from './connectors/connector-registry';
import { taskQueueFor } from './domain/environment';
import type { Logger } from './logger';
import { FlowRuntime } from './pipeline/flow-runtime';
import { createSecretReader } from './secrets';
import { createStores, type Stores } from './stores/create-stores';
import { LifecycleNotifier } from './temporal/lifecycle-notifier';
import { timedCalls } from './metrics/timed-calls';

export interface WorkerHandle {
  worker: Worker;
  connectors: ConnectorRegistry;
}

/** The stores with every call timed (see timed-calls.ts), named after their table group. */
function timedStores(stores: Stores): Stores {
  const timed = Object.entries(stores).map(([name, store]) => [name, timedCalls(name, store)]);
  return Object.fromEntries(timed) as Stores;
}

/** Builds a worker serving one environment's task queue. The caller runs and shuts it down. */
export async function createProcessflowWorker(input: {
  config: Config;
  db: Knex;
  connection: NativeConnection;
  /** For activities that start and signal other workflows (retry lifecycles). */
  client: Client;
  environment: string;
  log: Logger;
  connectors?: ConnectorRegistry;
  workflowBundle?: { code: string };
  identity?: string;
}): Promise<WorkerHandle> {
  const { config, db, log } = input;
  const connectors =
    input.connectors ??
    createDefaultConnectors({
      fileSource: { root: config.fileSourceRoot, maxRecordBytes: config.maxRecordBytes },
    });
  const secrets = createSecretReader(process.env, config.secretsFile);
  const activities = createActivities({
    db,
    log,
    runtime: new FlowRuntime(connectors, secrets),
    ...timedStores(createStores(db)),
    notifier: timedCalls('lifecycle notifier', new LifecycleNotifier(input.client, temporalNow)),
    pageSize: config.pageSize,
    snapshotMaxPayloadBytes: config.snapshotMaxPayloadBytes,
  });

  const worker = await Worker.create({
    connection: input.connection,
    namespace: config.temporal.namespace,
    taskQueue: taskQueueFor(input.environment),
    activities,
    // Cancellation reaches an activity with a heartbeat answer: keep them frequent.
    maxHeartbeatThrottleInterval: '2 seconds',
    // On SIGTERM a page in progress gets this long to finish; past it, it rolls back and
    // Temporal retries it on another agent (see activity-failures.ts).
    shutdownGraceTime: config.workerShutdownGraceMs,
    ...(input.workflowBundle
      ? { workflowBundle: input.workflowBundle }
      : { workflowsPath: require.resolve('./workflows') }),
    ...(input.identity ? { identity: input.identity } : {}),
  });
  return { worker, connectors };
}
