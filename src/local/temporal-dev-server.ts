import fs from 'node:fs/promises';
import path from 'node:path';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Logger } from 'pino';
import { isDownloadFailure } from './download-failure';
import { runTool } from './run-tool';
import { registerSearchAttributes } from './search-attributes';

export type TemporalDevServerOptions = {
  ip: string;
  /** A free port is chosen when unset. */
  port?: number;
  /** The Web UI runs only when a port is given. */
  uiPort?: number;
  /** SQLite file that keeps workflows across restarts; in memory when unset. */
  dbFilename?: string;
  namespace: string;
  searchAttributes: readonly SearchAttributeKey<SearchAttributeType>[];
  /** The server's own log level, `error` by default; it writes to our stderr. */
  serverLogLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** A Temporal CLI binary to use as it is, instead of downloading one. */
  cliPath?: string;
  logger: Logger;
};

/** Where the Temporal CLI binary came from. */
export type TemporalCliSource = 'configured' | 'sdk-download' | 'local-build';

export type TemporalDevServer = {
  /** host:port of the frontend. */
  address: string;
  uiUrl?: string;
  namespace: string;
  cliSource: TemporalCliSource;
  /** Holds the server process; its `teardown()` stops it. */
  env: TestWorkflowEnvironment;
  stop(): Promise<void>;
};

type Executable = { type: 'existing-path'; path: string };

/**
 * On a database file the dev server's SQLite defaults to a rollback journal with a full fsync
 * per commit, and every workflow start, signal and timer is a commit of its own: a wave of
 * retry lifecycles then runs at a few dozen per second and the server's own requests time out
 * ("context deadline exceeded"). A write-ahead log synced at checkpoints keeps the file
 * consistent after a crash and may lose only the last moments before a power cut, which a
 * local server can afford.
 */
const SQLITE_FILE_PRAGMAS = [
  '--sqlite-pragma',
  'journal_mode=wal',
  '--sqlite-pragma',
  'synchronous=normal',
];

/**
 * Starts the Temporal CLI's dev server. The SDK downloads the CLI by default; where it cannot
 * (no access to Temporal's download service), a CLI built from source by tools/temporal-cli.sh
 * is used instead.
 */
export async function startTemporalDevServer(
  options: TemporalDevServerOptions,
): Promise<TemporalDevServer> {
  const { logger } = options;

  if (options.cliPath) {
    return start(options, { type: 'existing-path', path: options.cliPath }, 'configured');
  }

  try {
    return await start(options, undefined, 'sdk-download');
  } catch (err) {
    if (!isDownloadFailure(err)) {
      throw err;
    }
    logger.info(
      { reason: err instanceof Error ? err.message.split('\n')[0] : String(err) },
      'The Temporal CLI could not be downloaded; using one built from source',
    );
  }

  const built = await runTool('temporal-cli.sh');
  return start(options, { type: 'existing-path', path: built }, 'local-build');
}

async function start(
  options: TemporalDevServerOptions,
  executable: Executable | undefined,
  cliSource: TemporalCliSource,
): Promise<TemporalDevServer> {
  const { ip, port, uiPort, dbFilename, namespace, searchAttributes, logger } = options;
  const log = { format: 'pretty', level: options.serverLogLevel ?? 'error' };
  if (dbFilename) {
    await fs.mkdir(path.dirname(dbFilename), { recursive: true });
  }

  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable,
      ip,
      port,
      ui: uiPort !== undefined,
      uiPort,
      dbFilename,
      namespace,
      searchAttributes: [...searchAttributes],
      log,
      extraArgs: dbFilename ? SQLITE_FILE_PRAGMAS : [],
    },
  });

  // A reused database file ignores the --search-attribute flags for the existing namespace.
  await registerSearchAttributes(env.connection, searchAttributes, namespace);

  const uiUrl = uiPort === undefined ? undefined : `http://${ip}:${uiPort}`;
  logger.info(
    { address: env.address, uiUrl, cliSource, cliPath: executable?.path },
    'Temporal dev server started',
  );

  return { address: env.address, uiUrl, namespace, cliSource, env, stop: () => env.teardown() };
}
