import type { Knex } from 'knex';
import type { ProcessflowDefinition } from '../domain/processflow-definition';

interface VersionRow {
  processflow_name: string;
  version: number;
  definition: ProcessflowDefinition;
  definition_hash: string;
  created_at: Date;
}

export interface ProcessflowVersion {
  name: string;
  version: number;
  definition: ProcessflowDefinition;
  hash: string;
  createdAt: Date;
}

export interface ProcessflowSummary {
  name: string;
  latestVersion: number;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

const toVersion = (row: VersionRow): ProcessflowVersion => ({
  name: row.processflow_name,
  version: row.version,
  definition: row.definition,
  hash: row.definition_hash,
  createdAt: row.created_at,
});

export class ProcessflowStore {
  constructor(private readonly db: Knex) {}

  /**
   * Saves a definition: the same definition as an existing version answers that version, a
   * changed one becomes the next version. Serialised per processflow by a row lock.
   */
  async save(
    definition: ProcessflowDefinition,
    hash: string,
  ): Promise<{ version: ProcessflowVersion; created: boolean }> {
    return this.db.transaction(async (trx) => {
      await trx('processflows')
        .insert({ name: definition.name, latest_version: 0 })
        .onConflict('name')
        .ignore();
      const flow = await trx('processflows').where({ name: definition.name }).forUpdate().first();

      const existing = await trx<VersionRow>('processflow_versions')
        .where({ processflow_name: definition.name, definition_hash: hash })
        .first();
      if (existing) return { version: toVersion(existing), created: false };

      const version = flow.latest_version + 1;
      const [row] = await trx<VersionRow>('processflow_versions')
        .insert({ processflow_name: definition.name, version, definition, definition_hash: hash })
        .returning('*');
      await trx('processflows')
        .where({ name: definition.name })
        .update({ latest_version: version, updated_at: trx.fn.now() });
      return { version: toVersion(row), created: true };
    });
  }

  async getVersion(name: string, version: number): Promise<ProcessflowVersion | undefined> {
    const row = await this.db<VersionRow>('processflow_versions')
      .where({ processflow_name: name, version })
      .first();
    return row && toVersion(row);
  }

  async getLatest(name: string): Promise<ProcessflowVersion | undefined> {
    const row = await this.db<VersionRow>('processflow_versions')
      .where({ processflow_name: name })
      .orderBy('version', 'desc')
      .first();
    return row && toVersion(row);
  }

  async listVersions(name: string): Promise<ProcessflowVersion[]> {
    const rows = await this.db<VersionRow>('processflow_versions')
      .where({ processflow_name: name })
      .orderBy('version', 'desc');
    return rows.map(toVersion);
  }

  async list(): Promise<ProcessflowSummary[]> {
    const rows = await this.db('processflows as p')
      .join('processflow_versions as v', function () {
        this.on('v.processflow_name', 'p.name').andOn('v.version', 'p.latest_version');
      })
      .select('p.*', this.db.raw("v.definition->>'description' as description"))
      .orderBy('p.name');
    return rows.map((row) => ({
      name: row.name,
      latestVersion: row.latest_version,
      description: row.description ?? '',
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }
}
