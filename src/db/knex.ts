import knex, { type Knex } from 'knex';
import { join } from 'node:path';
import { projectRoot } from '../local/project-paths';

export const MIGRATIONS_DIRECTORY = join(projectRoot(), 'migrations');

export function createKnex(databaseUrl: string, pool = { min: 0, max: 10 }): Knex {
  return knex({ client: 'pg', connection: databaseUrl, pool });
}

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = await db.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
  return applied as string[];
}
