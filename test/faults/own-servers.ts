import { spawn } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createKnex, migrateLatest } from '../../src/db/knex';
import { findFreePort } from '../../src/local/free-port';
import { projectRoot } from '../../src/local/project-paths';
import {
  type TemporalDevServer,
  startTemporalDevServer,
} from '../../src/local/temporal-dev-server';
import { searchAttributeKeys } from '../../src/workflows/search-attributes';
import type { TestDatabase } from '../helpers/database';
import type { DevServerConnection } from '../helpers/dev-server';
import { trackOpenResource } from '../helpers/open-resources';

const HOST = '127.0.0.1';
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });

/** Starts test/faults/postgres-process.ts and answers once it prints its URL. */
async function spawnPostgres(dataDir: string, port: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'postgres-process.ts'), dataDir, String(port)],
    { cwd: projectRoot(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', () => reject(new Error(`Postgres did not start:\n${output}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A Postgres of the test's own, on a data directory that survives `restart()`: what the ledger
 * sees when its database server goes away in the middle of a run and comes back.
 */
export async function startOwnPostgres(): Promise<{
  database: TestDatabase;
  restart(downMs: number): Promise<void>;
}> {
  const dataDir = await mkdtemp(join(tmpdir(), 'processflow-fault-postgres-'));
  const port = await findFreePort(HOST);
  let server = await spawnPostgres(dataDir, port);
  const knex = createKnex(server.url, { min: 0, max: 5 });
  await migrateLatest(knex);
  const release = trackOpenResource(`Own Postgres on port ${port} from startOwnPostgres()`);

  const database: TestDatabase = {
    knex,
    url: server.url,
    name: 'faults',
    async destroy() {
      await knex.destroy();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
      release();
    },
  };
  return {
    database,
    async restart(downMs) {
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await spawnPostgres(dataDir, port);
    },
  };
}

/**
 * A Temporal dev server of the test's own, keeping its state in a database file, so that it can
 * be stopped and started again on the same port with every workflow and timer it had.
 */
export async function startOwnTemporal(): Promise<{
  server: DevServerConnection;
  restart(downMs: number): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'processflow-fault-temporal-'));
  const port = await findFreePort(HOST);
  const start = () =>
    startTemporalDevServer({
      ip: HOST,
      port,
      dbFilename: join(dir, 'temporal.db'),
      namespace: 'default',
      searchAttributes: searchAttributeKeys,
      serverLogLevel: 'error',
      cliPath: process.env.TEMPORAL_CLI_PATH,
      logger,
    });
  let dev: TemporalDevServer = await start();
  const connection = await Connection.connect({ address: dev.address });
  const nativeConnection = await NativeConnection.connect({ address: dev.address });
  const release = trackOpenResource(`Own Temporal dev server on port ${port}`);

  const server: DevServerConnection = {
    client: new Client({ connection, namespace: 'default' }),
    connection,
    nativeConnection,
    namespace: 'default',
    async close() {
      await nativeConnection.close();
      await connection.close();
      await dev.stop();
      await rm(dir, { recursive: true, force: true });
      release();
    },
  };
  return {
    server,
    async restart(downMs) {
      await dev.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      dev = await start();
    },
  };
}
