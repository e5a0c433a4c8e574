import type { Knex } from 'knex';
import type { Actor, Principal } from '../domain/access';
import type { AuditAction } from '../domain/audit-actions';
import type { AuditEvent, AuditStore } from '../stores/audit-store';

export interface AuditEntry {
  action: AuditAction;
  environment: string | null;
  target: string;
  details?: Record<string, unknown>;
}

/** The audit log: deploys, executions, resyncs and token changes, with who and when. */
export class AuditService {
  constructor(private readonly audit: AuditStore) {}

  async record(actor: Actor, entry: AuditEntry, trx?: Knex): Promise<void> {
    await this.audit.insert(
      {
        actor: actor.name,
        actorTokenId: actor.kind === 'token' ? actor.tokenId : null,
        action: entry.action,
        environment: entry.environment,
        target: entry.target,
        details: entry.details ?? {},
      },
      trx,
    );
  }

  /**
   * Events the principal may read, newest first: those of the environments in its scope; events
   * of no environment (tokens, definitions) only for a principal that reaches every one.
   */
  async list(
    principal: Pick<Principal, 'environments'>,
    filter: { environment?: string; action?: AuditAction; before?: number; limit: number },
  ): Promise<{ events: AuditEvent[]; nextBefore: number | null }> {
    const found = await this.audit.list({
      environments: principal.environments,
      environment: filter.environment,
      action: filter.action,
      beforeId: filter.before,
      limit: filter.limit + 1,
    });
    const events = found.slice(0, filter.limit);
    const nextBefore = found.length > filter.limit ? events[events.length - 1].id : null;
    return { events, nextBefore };
  }
}
