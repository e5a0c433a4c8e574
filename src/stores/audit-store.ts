import type { Knex } from 'knex';

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  actor_token_id: string | null;
  action: string;
  environment: string | null;
  target: string;
  details: Record<string, unknown>;
}

export interface AuditEvent {
  id: number;
  at: Date;
  actor: string;
  actorTokenId: string | null;
  action: string;
  environment: string | null;
  target: string;
  details: Record<string, unknown>;
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'>;

export interface AuditFilter {
  /** null: every environment; otherwise events of these environments only. */
  environments: string[] | null;
  environment?: string;
  action?: string;
  beforeId?: number;
  limit: number;
}

const toEvent = (row: AuditRow): AuditEvent => ({
  id: Number(row.id),
  at: row.at,
  actor: row.actor,
  actorTokenId: row.actor_token_id,
  action: row.action,
  environment: row.environment,
  target: row.target,
  details: row.details,
});

export class AuditStore {
  constructor(private readonly db: Knex) {}

  async insert(event: NewAuditEvent, trx: Knex = this.db): Promise<void> {
    await trx('audit_events').insert({
      actor: event.actor,
      actor_token_id: event.actorTokenId,
      action: event.action,
      environment: event.environment,
      target: event.target,
      details: JSON.stringify(event.details),
    });
  }

  /** Newest first, keyset-paged on id. */
  async list(filter: AuditFilter): Promise<AuditEvent[]> {
    const query = this.db<AuditRow>('audit_events').orderBy('id', 'desc').limit(filter.limit);
    if (filter.environments !== null) query.whereIn('environment', filter.environments);
    if (filter.environment !== undefined) query.where({ environment: filter.environment });
    if (filter.action !== undefined) query.where({ action: filter.action });
    if (filter.beforeId !== undefined) query.where('id', '<', filter.beforeId);
    return (await query).map(toEvent);
  }
}
