import knex, { type Knex } from 'knex';
import { resolve } from 'node:path';

export const MIGRATIONS_DIRECTORY = resolve(__dirname, '../../migrations');

export function createKnex(databaseUrl: string, pool = { min: 0, max: 10 }): Knex {
  return knex({ client: 'pg', connection: databaseUrl, pool });
}

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = await db.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
  return applied as string[];
}
