import path from 'node:path';
import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import type { Logger } from 'pino';
import { startEmbeddedPostgres } from './embedded-postgres';
import type { LocalStackConfig } from './local-stack-config';
import { isPortServed } from './port-probe';
import { startTemporalDevServer } from './temporal-dev-server';

export type LocalStack = {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  temporalUiUrl: string;
  stop(): Promise<void>;
};

export type LocalStackOptions = {
  searchAttributes: readonly SearchAttributeKey<SearchAttributeType>[];
  logger: Logger;
};

/** Thrown when the stack's ports already answer, most likely because a stack is running. */
export class StackAlreadyRunningError extends Error {
  constructor(readonly servedPorts: readonly string[]) {
    super(
      `Something already answers on ${servedPorts.join(', ')}, probably a running stack. ` +
        'Use that one, or stop it first.',
    );
    this.name = 'StackAlreadyRunningError';
  }
}

/**
 * Starts Postgres and the Temporal dev server with its Web UI, both keeping their data under
 * the configured data directory, so workflows and ledger rows survive a restart.
 */
export async function startLocalStack(
  config: LocalStackConfig,
  { searchAttributes, logger }: LocalStackOptions,
): Promise<LocalStack> {
  await assertPortsFree(config);

  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(config.dataDir, 'postgres'),
    host: config.host,
    port: config.postgres.port,
    database: config.postgres.database,
    logger: logger.child({ service: 'postgres' }),
  });

  try {
    const temporal = await startTemporalDevServer({
      ip: config.host,
      port: config.temporal.port,
      uiPort: config.temporal.uiPort,
      dbFilename: path.join(config.dataDir, 'temporal', 'temporal.db'),
      namespace: config.temporal.namespace,
      searchAttributes,
      cliPath: config.temporal.cliPath,
      logger: logger.child({ service: 'temporal' }),
    });

    const stop = async (): Promise<void> => {
      // Temporal first: it may still hold connections from workers that write to Postgres.
      await temporal.stop().finally(() => postgres.stop());
    };
    return {
      databaseUrl: postgres.url,
      temporalAddress: temporal.address,
      temporalNamespace: temporal.namespace,
      temporalUiUrl: temporal.uiUrl ?? '',
      stop,
    };
  } catch (err) {
    await postgres.stop();
    throw err;
  }
}

async function assertPortsFree({ host, postgres, temporal }: LocalStackConfig): Promise<void> {
  const ports = [postgres.port, temporal.port, temporal.uiPort];
  const served = await Promise.all(ports.map((port) => isPortServed(host, port)));

  const busy = ports.filter((_, i) => served[i]).map((port) => `${host}:${port}`);
  if (busy.length > 0) {
    throw new StackAlreadyRunningError(busy);
  }
}
