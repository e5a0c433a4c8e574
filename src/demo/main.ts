import { NativeConnection } from '@temporalio/worker';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { parse as parseYaml } from 'yaml';
import { createApp } from '../api/create-app';
import { ApiClient, segment } from '../client/api-client';
import { loadConfig } from '../config';
import { createKnex, migrateLatest } from '../db/knex';
import { systemActor } from '../domain/access';
import type { Execution } from '../domain/execution';
import type { LedgerRecord } from '../domain/record';
import { projectRoot } from '../local/project-paths';
import { createLogger } from '../logger';
import { startMetricsServer } from '../metrics/metrics-server';
import { metricsRegistry } from '../metrics/metrics-registry';
import { SECRET_ENV_PREFIX } from '../secrets';
import { createServices } from '../services/create-services';
import type { TokenService } from '../services/token-service';
import { AgentStore } from '../stores/agent-store';
import { MetricsStore } from '../stores/metrics-store';
import { createStores } from '../stores/create-stores';
import { connectTemporalClient } from '../temporal/temporal-client';
import { installWorkerRuntime } from '../worker-runtime';
import { createProcessflowWorker } from '../worker-composition';
import { DEMO_EXAMPLE_DIR, ensureAirportsFile, ensureDestination } from './demo-data';
import { formatDemoReport } from './demo-report';
import { startDemoServices } from './demo-stack';
import { startWebhookInbox } from './webhook-inbox';

const ENVIRONMENT = 'demo';
const say = (text: string) => process.stdout.write(`${text}\n`);

/**
 * `npm run demo`: the airports processflow over the OpenFlights dataset into PostgreSQL, on
 * Temporal, with every record's fate in the ledger. Leaves the API, a worker and the Temporal
 * UI running (or stops after the report with --exit).
 */
async function main() {
  const { values } = parseArgs({ options: { exit: { type: 'boolean', default: false } } });
  const logFile = join(projectRoot(), '.data', 'logs', 'demo.log');
  mkdirSync(join(projectRoot(), '.data', 'logs'), { recursive: true });
  const log = createLogger(process.env.LOG_LEVEL ?? 'info', 'demo', pino.destination(logFile));
  const base = loadConfig();
  // As an agent does: the SDK's worker metrics, read through the agent's own /metrics.
  const sdkMetrics = `127.0.0.1:${base.metrics.sdkPort}`;
  installWorkerRuntime(log, sdkMetrics);

  const external = Boolean(process.env.DATABASE_URL && process.env.TEMPORAL_ADDRESS);
  say(
    external
      ? 'Using DATABASE_URL and TEMPORAL_ADDRESS.'
      : 'Starting Postgres and Temporal (the very first run also fetches or builds the Temporal CLI)…',
  );
  const services = await startDemoServices(
    { databaseUrl: base.databaseUrl, temporalAddress: base.temporal.address, external },
    log,
  );
  const config = {
    ...base,
    databaseUrl: services.databaseUrl,
    temporal: { ...base.temporal, address: services.temporalAddress },
  };
  const cleanups: (() => Promise<unknown>)[] = [() => services.stop()];
  const shutdown = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((err) => log.warn({ err }, 'shutdown step failed'));
  };

  try {
    const db = createKnex(config.databaseUrl);
    cleanups.push(() => db.destroy());
    await migrateLatest(db);
    const data = await ensureAirportsFile(config.fileSourceRoot);
    process.env[`${SECRET_ENV_PREFIX}DEMO_DESTINATION_URL`] ??= await ensureDestination(
      config.databaseUrl,
    );

    const connection = await NativeConnection.connect({ address: config.temporal.address });
    cleanups.push(() => connection.close());
    const client = await connectTemporalClient(config.temporal.address, config.temporal.namespace);
    cleanups.push(() => client.connection.close());
    const { worker, connectors } = await createProcessflowWorker({
      config,
      db,
      connection,
      client,
      environment: ENVIRONMENT,
      log,
    });
    const running = worker.run();
    cleanups.push(async () => {
      worker.shutdown();
      await running;
      await new AgentStore(db).markStopped(worker.options.identity, ENVIRONMENT, new Date());
      await connectors.close();
    });
    const agentMetrics = await startMetricsServer({
      host: config.metrics.host,
      port: config.metrics.port,
      registry: metricsRegistry,
      sdkMetricsUrl: `http://${sdkMetrics}/metrics`,
    });
    cleanups.push(() => agentMetrics.close());

    const apiServices = createServices({ db, stores: createStores(db), connectors, client, log });
    const ledger = new MetricsStore(db);
    const app = createApp({
      services: apiServices,
      log,
      ledgerFigures: () => ledger.ledgerFigures(),
    });
    // The API needs a token: the demo keeps an admin one where a person finds it, and reuses it
    // on later runs while it is still valid, so a shell that exported it keeps working.
    const tokenFile = join(projectRoot(), '.data', 'demo-token');
    const secret = await demoToken(apiServices.tokens, tokenFile);
    const auth = { authorization: `Bearer ${secret}` };
    const server = await listen(app, config.api.host, config.api.port);
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const apiUrl = `http://${config.api.host}:${config.api.port}`;
    say(`API on ${apiUrl}; agent attached to environment "${ENVIRONMENT}".`);
    const inbox = await startWebhookInbox(
      config.api.host,
      config.demoWebhookPort,
      join(projectRoot(), '.data', 'webhooks'),
      log,
    );
    cleanups.push(() => inbox.close());

    const execution = await runAirports(new ApiClient(apiUrl, auth), data.records);
    const api = new ApiClient(apiUrl, auth);
    const deploymentId = segment(execution.deploymentId);
    const syncInfo = await api.get<{ records: LedgerRecord[] }>(
      `/deployments/${deploymentId}/sync-info?status=Failed&limit=5`,
    );
    const deployed = await api.get<{
      deployments: { counts: { Success: number; Failed: number; Unprocessed: number } }[];
    }>(`/environments/${ENVIRONMENT}/deployments`);
    say(
      formatDemoReport({
        execution,
        counts: deployed.deployments[0].counts,
        failed: syncInfo.records,
        apiUrl,
        temporalUiUrl: services.temporalUiUrl,
        agentMetricsUrl: agentMetrics.url,
        namespace: config.temporal.namespace,
        dataFile: data.path,
        logFile,
        tokenFile,
        webhookInbox: inbox,
        exiting: values.exit,
      }),
    );
    if (!values.exit) await nextSignal();
  } finally {
    await shutdown();
  }
}

/** The admin token kept in `file` while the API still accepts it; a new one otherwise. */
async function demoToken(tokens: TokenService, file: string): Promise<string> {
  const kept = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (kept !== '' && (await tokens.authenticate(kept))?.role === 'admin') return kept;
  const { secret } = await tokens.create(
    { name: 'demo admin', role: 'admin' },
    systemActor('demo'),
  );
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** Saves, deploys and runs the airports processflow through the API; waits for the run to end. */
async function runAirports(api: ApiClient, records: number): Promise<Execution> {
  await api.put(`/environments/${ENVIRONMENT}`, { description: 'Local demo environment' });
  const definition = parseYaml(readFileSync(join(DEMO_EXAMPLE_DIR, 'processflow.yaml'), 'utf8'));
  const saved = await api.post<{ name: string; version: number }>('/processflows', definition);
  await api.put(`/environments/${ENVIRONMENT}/deployments/${saved.name}`, {
    version: saved.version,
  });
  await waitFor(
    async () => (await api.get<{ active: boolean }>(`/environments/${ENVIRONMENT}`)).active,
  );

  say(`Running processflow "${saved.name}" v${saved.version} over ${records} airports…`);
  // The demo reads the whole file each time; scheduled runs read only what changed.
  const started = await api.post<Execution>(
    `/deployments/${segment(`${saved.name}@${ENVIRONMENT}`)}/executions?full=true`,
  );
  let execution = started;
  await waitFor(async () => {
    execution = await api.get<Execution>(`/executions/${started.id}`);
    return execution.status !== 'running';
  });
  return {
    ...execution,
    startedAt: new Date(execution.startedAt),
    finishedAt: new Date(execution.finishedAt!),
  };
}

async function waitFor(check: () => Promise<boolean>, intervalMs = 300): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}

function listen(app: ReturnType<typeof createApp>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    // Express 5 calls back with the error too (a port in use): only a listening server resolves.
    const server = app.listen(port, host, (error?: Error) => {
      if ((error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') {
        reject(
          new Error(`${host}:${port} is in use (a demo already running?); API_PORT moves the API`),
        );
      } else if (error) reject(error);
      else resolve(server);
    });
  });
}

function nextSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

main().catch((error) => {
  process.stderr.write(
    `npm run demo failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
