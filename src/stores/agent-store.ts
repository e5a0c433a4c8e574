import type { Knex } from 'knex';

/** Records which agents (workers) stopped cleanly, and when. */
export class AgentStore {
  constructor(private readonly db: Knex) {}

  async markStopped(identity: string, environmentName: string, at: Date): Promise<void> {
    await this.db('stopped_agents')
      .insert({ identity, environment_name: environmentName, stopped_at: at })
      .onConflict('identity')
      .merge(['environment_name', 'stopped_at']);
  }

  /** When each of these agents last stopped, for those that ever did. */
  async stoppedAt(identities: string[]): Promise<Map<string, Date>> {
    if (identities.length === 0) return new Map();
    const rows = await this.db('stopped_agents')
      .whereIn('identity', identities)
      .select<{ identity: string; stopped_at: Date }[]>('identity', 'stopped_at');
    return new Map(rows.map((row) => [row.identity, row.stopped_at]));
  }
}
