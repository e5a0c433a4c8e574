import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { createKnex, migrateLatest } from '../src/db/knex';
import { startEmbeddedPostgres } from '../src/local/embedded-postgres';
import { findFreePort } from '../src/local/free-port';
import { withDatabase } from '../src/local/postgres-url';
import { startTemporalDevServer } from '../src/local/temporal-dev-server';
import { adminQuery } from './helpers/admin-query';

/** What global setup started, for global teardown; it lives on the jest main process's global. */
export type TestServices = { stop(): Promise<void> };

const HOST = '127.0.0.1';

/**
 * Starts the servers a test run shares, unless DATABASE_URL and TEMPORAL_ADDRESS point at
 * running ones, and passes their addresses to the test workers through the environment:
 * TEST_DATABASE_URL (a maintenance database on the cluster), TEST_DATABASE_TEMPLATE (migrated
 * once, cloned per test file), TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and TEST_RUN_DIR.
 */
export async function startTestServices(): Promise<TestServices> {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const stopOne of stops.reverse()) {
      await stopOne();
    }
  };

  try {
    const runId = crypto.randomBytes(4).toString('hex');
    const runDir = await fs.mkdtemp(path.join(os.tmpdir(), `processflow-test-${runId}-`));
    stops.push(() => fs.rm(runDir, { recursive: true, force: true }));

    const adminUrl = process.env.DATABASE_URL ?? (await startPostgres(runId, logger, stops));
    const template = `pf_test_${runId}_template`;
    await createTemplateDatabase(adminUrl, template);
    stops.push(() => dropTestDatabases(adminUrl, `pf_test_${runId}_`));

    const temporalAddress = process.env.TEMPORAL_ADDRESS ?? (await startTemporal(logger, stops));

    Object.assign(process.env, {
      TEST_DATABASE_URL: adminUrl,
      TEST_DATABASE_TEMPLATE: template,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
      TEST_RUN_DIR: runDir,
    });
    return { stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function startPostgres(
  runId: string,
  logger: pino.Logger,
  stops: Array<() => Promise<void>>,
): Promise<string> {
  const postgres = await startEmbeddedPostgres({
    // Not under the mkdtemp directory: as root, the server runs as another user that must own it.
    dataDir: path.join(os.tmpdir(), `processflow-test-postgres-${runId}`),
    host: HOST,
    port: await findFreePort(HOST),
    database: 'postgres',
    ephemeral: true,
    // A throwaway cluster needs no crash safety; this makes database clones several times faster.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    logger,
  });
  stops.push(postgres.stop);
  return postgres.adminUrl;
}

async function startTemporal(
  logger: pino.Logger,
  stops: Array<() => Promise<void>>,
): Promise<string> {
  const temporal = await startTemporalDevServer({
    ip: HOST,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    searchAttributes: [],
    // Tests provoke warnings on purpose (registering a search attribute twice, say).
    serverLogLevel: 'error',
    cliPath: process.env.TEMPORAL_CLI_PATH,
    logger,
  });
  stops.push(temporal.stop);
  return temporal.address;
}

async function createTemplateDatabase(adminUrl: string, template: string): Promise<void> {
  await adminQuery(adminUrl, (client) => `create database ${client.escapeIdentifier(template)}`);

  const db = createKnex(withDatabase(adminUrl, template), { min: 0, max: 1 });
  try {
    await migrateLatest(db);
  } finally {
    // CREATE DATABASE ... TEMPLATE fails while anyone is connected to the template.
    await db.destroy();
  }
}

async function dropTestDatabases(adminUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1)',
      [prefix],
    );
    for (const { datname } of rows) {
      await client.query(
        `drop database if exists ${client.escapeIdentifier(datname)} with (force)`,
      );
    }
  } finally {
    await client.end();
  }
}
