import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import pg from 'pg';
import pino from 'pino';
import type { Client } from '@temporalio/client';
import { ApiClient } from '../src/client/api-client';
import { createDefaultConnectors } from '../src/connectors/default-connectors';
import { createKnex, migrateLatest } from '../src/db/knex';
import { systemActor } from '../src/domain/access';
import { findFreePort } from '../src/local/free-port';
import { withDatabase } from '../src/local/postgres-url';
import { projectRoot } from '../src/local/project-paths';
import { SECRET_ENV_PREFIX } from '../src/secrets';
import { createServices } from '../src/services/create-services';
import { createStores } from '../src/stores/create-stores';
import { connectTemporalClient } from '../src/temporal/temporal-client';
import { type NodeProcess, startNodeProcess, waitUntil } from './node-process';

export const ENVIRONMENT = 'bench';
export const DESTINATION_SECRET = 'BENCH_DESTINATION_URL';
const HOST = '127.0.0.1';
const DESTINATION_DATABASE = 'bench_destination';

export interface BenchStack {
  dataDir: string;
  filesDir: string;
  db: Knex;
  /** The destination database, where processflows and the reference limit write. */
  destination: pg.Pool;
  temporal: Client;
  api: ApiClient;
  /** The agent's process, for its memory; restartWorker() starts a fresh one. */
  worker: NodeProcess;
  workerMetricsUrl: string;
  restartWorker(options?: {
    env?: Record<string, string>;
    nodeOptions?: string[];
  }): Promise<NodeProcess>;
  /** Lines of the Temporal dev server's own log (level error) so far. */
  temporalErrors(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * The demo's stack — embedded Postgres and the Temporal dev server on a SQLite file, started
 * by `src/local/stack-main.ts` — on free ports and in `.data/bench` (emptied first), so a demo
 * running beside it is left alone; then the API and one agent, each in a process of its own as
 * in production, and an admin token for the API.
 */
export async function startBenchStack(): Promise<BenchStack> {
  const dataDir = join(projectRoot(), '.data', 'bench');
  const logs = join(dataDir, 'logs');
  const filesDir = join(dataDir, 'files');
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(logs, { recursive: true });
  await mkdir(filesDir, { recursive: true });
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };

  try {
    const stackLog = join(logs, 'stack.log');
    const stack = startNodeProcess({
      entry: 'src/local/stack-main.ts',
      env: {
        STACK_DATA_DIR: dataDir,
        STACK_POSTGRES_PORT: String(await findFreePort(HOST)),
        STACK_TEMPORAL_PORT: String(await findFreePort(HOST)),
        STACK_TEMPORAL_UI_PORT: String(await findFreePort(HOST)),
        LOG_LEVEL: 'warn',
      },
      logFile: stackLog,
    });
    stops.push(() => stack.stop(60_000));
    const addresses = await waitUntil(
      'the bench stack (see .data/bench/logs/stack.log)',
      () => stackAddresses(stack.stdoutLines),
      15 * 60_000,
    );
    const stackSettled = await Promise.race([
      stack.exited.then(() => 'exited'),
      Promise.resolve('up'),
    ]);
    if (stackSettled === 'exited') throw new Error('the bench stack exited; see its log');

    const db = createKnex(addresses.DATABASE_URL, { min: 0, max: 10 });
    stops.push(() => db.destroy());
    await migrateLatest(db);
    const destinationUrl = await createDestinationDatabase(addresses.DATABASE_URL);
    const destination = new pg.Pool({ connectionString: destinationUrl, max: 4 });
    stops.push(() => destination.end());

    const temporal = await connectTemporalClient(addresses.TEMPORAL_ADDRESS, 'default');
    stops.push(() => temporal.connection.close());
    const token = await createAdminToken(db, temporal);

    const common = {
      DATABASE_URL: addresses.DATABASE_URL,
      TEMPORAL_ADDRESS: addresses.TEMPORAL_ADDRESS,
      FILE_SOURCE_ROOT: filesDir,
      LOG_LEVEL: 'warn',
    };
    const apiPort = await findFreePort(HOST);
    const api = startNodeProcess({
      entry: 'src/api/main.ts',
      env: { ...common, API_HOST: HOST, API_PORT: String(apiPort) },
      logFile: join(logs, 'api.log'),
    });
    stops.push(() => api.stop());
    const apiClient = new ApiClient(`http://${HOST}:${apiPort}`, {
      authorization: `Bearer ${token}`,
    });
    await waitUntil(
      'the API',
      () =>
        apiClient.get('/healthz').then(
          () => true,
          () => undefined,
        ),
      60_000,
    );

    const metricsPort = await findFreePort(HOST);
    const startWorker = async (
      options: { env?: Record<string, string>; nodeOptions?: string[] } = {},
    ) => {
      const worker = startNodeProcess({
        entry: 'src/worker.ts',
        args: ['--environment', ENVIRONMENT],
        env: {
          ...common,
          [`${SECRET_ENV_PREFIX}${DESTINATION_SECRET}`]: destinationUrl,
          METRICS_HOST: HOST,
          METRICS_PORT: String(metricsPort),
          SDK_METRICS_PORT: String(await findFreePort(HOST)),
          ...options.env,
        },
        logFile: join(logs, 'worker.log'),
        nodeOptions: options.nodeOptions,
      });
      await waitUntil(
        'the agent',
        () =>
          fetch(`http://${HOST}:${metricsPort}/metrics`).then(
            () => true,
            () => undefined,
          ),
        120_000,
      );
      return worker;
    };

    const handle: BenchStack = {
      dataDir,
      filesDir,
      db,
      destination,
      temporal,
      api: apiClient,
      worker: await startWorker(),
      workerMetricsUrl: `http://${HOST}:${metricsPort}/metrics`,
      async restartWorker(options) {
        await handle.worker.stop();
        handle.worker = await startWorker(options);
        return handle.worker;
      },
      async temporalErrors() {
        const text = await readFile(stackLog, 'utf8');
        return text
          .split('\n')
          .filter((line) => /\bERROR\b|level=error|"level":"error"/i.test(line));
      },
      stop,
    };
    stops.push(() => handle.worker.stop());
    return handle;
  } catch (error) {
    await stop();
    throw error;
  }
}

type StackAddresses = Record<'DATABASE_URL' | 'TEMPORAL_ADDRESS', string>;

function stackAddresses(lines: string[]): StackAddresses | undefined {
  const found = Object.fromEntries(
    lines
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return found.DATABASE_URL && found.TEMPORAL_ADDRESS ? (found as StackAddresses) : undefined;
}

async function createDestinationDatabase(url: string): Promise<string> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${DESTINATION_DATABASE}`);
  } finally {
    await admin.end();
  }
  return withDatabase(url, DESTINATION_DATABASE);
}

/** The bench goes through the HTTP API like any client, with an admin token of its own. */
async function createAdminToken(db: Knex, temporal: Client): Promise<string> {
  const log = pino({ level: 'warn' });
  const connectors = createDefaultConnectors({ fileSource: { root: '.', maxRecordBytes: 1024 } });
  try {
    const services = createServices({
      db,
      stores: createStores(db),
      connectors,
      client: temporal,
      log,
    });
    const { secret } = await services.tokens.create(
      { name: 'bench admin', role: 'admin' },
      systemActor('bench'),
    );
    return secret;
  } finally {
    await connectors.close();
  }
}
