import type { Knex } from 'knex';
import type { ProcessflowDefinition } from '../domain/processflow-definition';
import { sourceKeyOf } from '../domain/source-key';

export interface SourceMark {
  deploymentId: string;
  mark: string;
  executionId: number;
  updatedAt: Date;
}

interface SourceMarkRow {
  deployment_id: string;
  source_key: string;
  mark: string;
  execution_id: string;
  updated_at: Date;
}

/** High-water marks of incremental sources, one per deployment and source. */
export class SourceMarkStore {
  constructor(private readonly db: Knex) {}

  async get(deploymentId: string, sourceKey: string): Promise<SourceMark | undefined> {
    const row = await this.db<SourceMarkRow>('source_marks')
      .where({ deployment_id: deploymentId, source_key: sourceKey })
      .first();
    return (
      row && {
        deploymentId: row.deployment_id,
        mark: row.mark,
        executionId: Number(row.execution_id),
        updatedAt: row.updated_at,
      }
    );
  }

  /** The mark a main run of this deployment and source lists changes after, if any. */
  async markFor(
    deploymentId: string,
    source: ProcessflowDefinition['source'],
  ): Promise<string | null> {
    return (await this.get(deploymentId, sourceKeyOf(source)))?.mark ?? null;
  }

  /** Sets the mark a completed run reached; called in the transaction that completes it. */
  async set(
    trx: Knex.Transaction,
    input: { deploymentId: string; sourceKey: string; mark: string; executionId: number },
  ): Promise<void> {
    await trx('source_marks')
      .insert({
        deployment_id: input.deploymentId,
        source_key: input.sourceKey,
        mark: input.mark,
        execution_id: String(input.executionId),
        updated_at: trx.fn.now(),
      })
      .onConflict(['deployment_id', 'source_key'])
      .merge(['mark', 'execution_id', 'updated_at']);
  }

  /** Forgets a deployment's marks: its next main run reads the whole source. */
  async clear(deploymentId: string): Promise<number> {
    return this.db('source_marks').where({ deployment_id: deploymentId }).delete();
  }
}
