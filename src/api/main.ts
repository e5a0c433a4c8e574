import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Config, loadConfig } from '../config';
import { createDefaultConnectors } from '../connectors/default-connectors';
import { createKnex } from '../db/knex';
import { createLogger, type Logger } from '../logger';
import { createServices } from '../services/create-services';
import { MetricsStore } from '../stores/metrics-store';
import { createStores } from '../stores/create-stores';
import { connectTemporalClient } from '../temporal/temporal-client';
import { createApp } from './create-app';

/** Requests still running after this long at shutdown are cut off. */
const SHUTDOWN_GRACE_MS = 10_000;

/** `npm run api`: serves the HTTP API until SIGINT or SIGTERM. */
async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'api');
  const db = createKnex(config.databaseUrl);
  const connectors = createDefaultConnectors({
    fileSource: { root: config.fileSourceRoot, maxRecordBytes: config.maxRecordBytes },
  });
  try {
    const client = await connectTemporalClient(config.temporal.address, config.temporal.namespace);
    try {
      const services = createServices({ db, stores: createStores(db), connectors, client, log });
      const metrics = new MetricsStore(db);
      const stopping = { draining: false };
      const app = createApp({
        services,
        log,
        ledgerFigures: () => metrics.ledgerFigures(),
        draining: () => stopping.draining,
      });
      await serve(app, config.api, log, () => (stopping.draining = true));
    } finally {
      await client.connection.close();
    }
  } finally {
    await connectors.close();
    await db.destroy();
  }
}

/**
 * Serves until SIGINT or SIGTERM; then readiness turns 503 at once (`onStop`), running requests
 * finish, and those still running after the grace time are cut off.
 */
async function serve(
  app: RequestListener,
  at: Config['api'],
  log: Logger,
  onStop: () => void,
): Promise<void> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  log.info({ url: `http://${host}:${port}` }, 'api listening');

  const signal = await nextSignal();
  onStop();
  log.info({ signal }, 'api stopping');
  await closeServer(server);
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

/** Stops accepting connections, lets running requests finish, then cuts off the rest. */
function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  return closed.finally(() => clearTimeout(deadline));
}

main().catch((error) => {
  createLogger('error', 'api').error({ err: error }, 'api stopped');
  process.exitCode = 1;
});
