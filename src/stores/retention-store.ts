import type { Knex } from 'knex';

/** Deletes old snapshots in bounded batches; the ledger rows they belong to stay. */
export class RetentionStore {
  constructor(private readonly db: Knex) {}

  /**
   * Deletes at most `limit` snapshots of the environment's deployments that started before
   * `before`, oldest first, in one short transaction; answers how many.
   */
  async purgeSnapshots(input: { environment: string; before: Date; limit: number }) {
    const result = await this.db.raw(
      `delete from snapshots where id in (
         select s.id from snapshots s
         join deployments d on d.id = s.deployment_id
         where d.environment_name = ? and s.started_at < ?
         order by s.started_at
         limit ?)`,
      [input.environment, input.before, input.limit],
    );
    return result.rowCount ?? 0;
  }
}
