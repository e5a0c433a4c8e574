import type { Knex } from 'knex';
import type { Environment } from '../domain/environment';

interface EnvironmentRow {
  name: string;
  description: string;
  created_at: Date;
}

const toEnvironment = (row: EnvironmentRow): Environment => ({
  name: row.name,
  description: row.description,
  createdAt: row.created_at,
});

export class EnvironmentStore {
  constructor(private readonly db: Knex) {}

  /** Creates the environment, or updates its description; answers whether it was new. */
  async upsert(
    name: string,
    description: string,
  ): Promise<{ environment: Environment; created: boolean }> {
    const [row] = await this.db('environments')
      .insert({ name, description })
      .onConflict('name')
      .merge(['description'])
      .returning<(EnvironmentRow & { created: boolean })[]>([
        '*',
        this.db.raw('(xmax = 0) as created'),
      ]);
    return { environment: toEnvironment(row), created: row.created };
  }

  /** Makes sure the environment exists, leaving an existing one as it is. */
  async upsertIfMissing(name: string): Promise<void> {
    await this.db('environments').insert({ name }).onConflict('name').ignore();
  }

  async get(name: string): Promise<Environment | undefined> {
    const row = await this.db<EnvironmentRow>('environments').where({ name }).first();
    return row && toEnvironment(row);
  }

  async list(): Promise<Environment[]> {
    const rows = await this.db<EnvironmentRow>('environments').orderBy('name');
    return rows.map(toEnvironment);
  }
}
