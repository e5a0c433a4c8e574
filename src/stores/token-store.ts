import type { Knex } from 'knex';
import type { ApiToken, Role } from '../domain/access';

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  environments: string[] | null;
  secret_hash: string;
  created_by: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const toToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  role: row.role,
  environments: row.environments,
  createdAt: row.created_at,
  createdBy: row.created_by,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
});

export class TokenStore {
  constructor(private readonly db: Knex) {}

  async insert(input: {
    id: string;
    name: string;
    role: Role;
    environments: string[] | null;
    secretHash: string;
    createdBy: string;
    expiresAt: Date | null;
  }): Promise<ApiToken> {
    const [row] = await this.db<TokenRow>('api_tokens')
      .insert({
        id: input.id,
        name: input.name,
        role: input.role,
        environments: input.environments,
        secret_hash: input.secretHash,
        created_by: input.createdBy,
        expires_at: input.expiresAt,
      })
      .returning('*');
    return toToken(row);
  }

  /** The token and its hash, for checking a presented token. */
  async findForCheck(id: string): Promise<{ token: ApiToken; secretHash: string } | undefined> {
    const row = await this.db<TokenRow>('api_tokens').where({ id }).first();
    return row && { token: toToken(row), secretHash: row.secret_hash };
  }

  async get(id: string): Promise<ApiToken | undefined> {
    const row = await this.db<TokenRow>('api_tokens').where({ id }).first();
    return row && toToken(row);
  }

  async list(): Promise<ApiToken[]> {
    const rows = await this.db<TokenRow>('api_tokens').orderBy('created_at').orderBy('id');
    return rows.map(toToken);
  }

  /** Marks a token revoked; a token revoked before keeps its first revocation time. */
  async revoke(id: string, at: Date): Promise<ApiToken | undefined> {
    const [row] = await this.db<TokenRow>('api_tokens')
      .where({ id })
      .update({ revoked_at: this.db.raw('coalesce(revoked_at, ?)', [at]) })
      .returning('*');
    return row && toToken(row);
  }

  /** Records use at most once a minute per token, so reads do not each cost a write. */
  async touch(id: string, at: Date): Promise<void> {
    await this.db('api_tokens')
      .where({ id })
      .andWhere((q) =>
        q.whereNull('last_used_at').orWhere('last_used_at', '<', new Date(at.getTime() - 60_000)),
      )
      .update({ last_used_at: at });
  }
}
