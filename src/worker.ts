import { NativeConnection } from '@temporalio/worker';
import { parseArgs } from 'node:util';
import { loadConfig } from './config';
import { createKnex } from './db/knex';
import { slugSchema } from './domain/processflow-definition';
import { registerSearchAttributes } from './local/search-attributes';
import { createLogger } from './logger';
import { startMetricsServer } from './metrics/metrics-server';
import { metricsRegistry } from './metrics/metrics-registry';
import { AgentStore } from './stores/agent-store';
import { EnvironmentStore } from './stores/environment-store';
import { ensureRetentionSchedule } from './temporal/retention-schedule';
import { connectTemporalClient } from './temporal/temporal-client';
import { installWorkerRuntime } from './worker-runtime';
import { createProcessflowWorker } from './worker-composition';
import { searchAttributeKeys } from './workflows/search-attributes';

/** An agent: serves one environment's task queue until SIGINT or SIGTERM. */
async function main() {
  const { values } = parseArgs({ options: { environment: { type: 'string', short: 'e' } } });
  const environment = slugSchema.safeParse(values.environment);
  if (!environment.success) {
    throw new Error('usage: worker --environment NAME (lower-case letters, digits and dashes)');
  }

  const config = loadConfig();
  const log = createLogger(config.logLevel, 'worker').child({ environment: environment.data });
  // Read only by this process's /metrics, so it listens on the loopback whatever METRICS_HOST is.
  const sdkMetrics = `127.0.0.1:${config.metrics.sdkPort}`;
  installWorkerRuntime(log, sdkMetrics);
  const db = createKnex(config.databaseUrl);
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const client = await connectTemporalClient(config.temporal.address, config.temporal.namespace);
  try {
    await registerSearchAttributes(
      connection as never,
      searchAttributeKeys,
      config.temporal.namespace,
    );
    await new EnvironmentStore(db).upsertIfMissing(environment.data);
    await ensureRetentionSchedule(client, environment.data, config.retention);
    const { worker, connectors } = await createProcessflowWorker({
      config,
      db,
      connection,
      client,
      environment: environment.data,
      log,
    });
    const metrics = await startMetricsServer({
      host: config.metrics.host,
      port: config.metrics.port,
      registry: metricsRegistry,
      sdkMetricsUrl: `http://${sdkMetrics}/metrics`,
    });
    log.info({ taskQueue: worker.options.taskQueue, metrics: metrics.url }, 'agent attached');
    // The Temporal runtime turns SIGINT and SIGTERM into worker.shutdown(): polling stops and
    // running activities get the grace time to finish.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => log.info({ signal }, 'agent stopping'));
    }
    try {
      await worker.run();
    } finally {
      // Temporal lists the worker's pollers for a minute more; this says it is gone now.
      await new AgentStore(db).markStopped(worker.options.identity, environment.data, new Date());
      await metrics.close();
      await connectors.close();
    }
  } finally {
    await client.connection.close();
    await connection.close();
    await db.destroy();
  }
  log.info('agent stopped');
}

main().catch((error) => {
  createLogger('error', 'worker').error({ err: error }, 'worker stopped');
  process.exitCode = 1;
});
