import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type Actor,
  type ApiToken,
  type Principal,
  type Role,
  tokenNameSchema,
} from '../domain/access';
import { InputError, NotFoundError } from '../domain/errors';
import type { Logger } from '../logger';
import type { TokenStore } from '../stores/token-store';
import type { AuditService } from './audit-service';

/** Tokens read `pft_<id>_<secret>`: the id finds the row, the secret proves possession. */
const TOKEN_PATTERN = /^pft_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export interface NewToken {
  name: string;
  role: Role;
  /** Omitted or null: every environment. */
  environments?: string[] | null;
  expiresAt?: Date | null;
}

/**
 * API tokens: created with a role and a scope, stored as a hash (the token is shown once),
 * revoked at will. The secret part carries 256 random bits, so a plain sha256 cannot be
 * reversed or guessed, and checking it costs one indexed read.
 */
export class TokenService {
  constructor(
    private readonly tokens: TokenStore,
    private readonly audit: AuditService,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates a token; answers it with the token text, which is never shown again. */
  async create(input: NewToken, actor: Actor): Promise<{ token: ApiToken; secret: string }> {
    const name = tokenNameSchema.safeParse(input.name);
    if (!name.success) {
      throw new InputError('the token name is not valid', [
        { path: 'name', message: name.error.issues[0].message },
      ]);
    }
    if (input.environments?.length === 0) {
      throw new InputError('a token must reach at least one environment', [
        { path: 'environments', message: 'give one or more, or leave it out for all' },
      ]);
    }
    const id = randomBytes(8).toString('hex');
    const secret = `pft_${id}_${randomBytes(32).toString('base64url')}`;
    const token = await this.tokens.insert({
      id,
      name: name.data,
      role: input.role,
      environments: input.environments ? [...new Set(input.environments)].sort() : null,
      secretHash: hashOf(secret),
      createdBy: actor.name,
      expiresAt: input.expiresAt ?? null,
    });
    await this.audit.record(actor, {
      action: 'token.create',
      environment: null,
      target: id,
      details: { name: token.name, role: token.role, environments: token.environments },
    });
    return { token, secret };
  }

  async list(): Promise<ApiToken[]> {
    return this.tokens.list();
  }

  async revoke(id: string, actor: Actor): Promise<ApiToken> {
    const at = this.now();
    const token = await this.tokens.revoke(id, at);
    if (!token) throw new NotFoundError(`token ${id} does not exist`);
    // Revoking again changes nothing, so it records nothing.
    if (token.revokedAt?.getTime() !== at.getTime()) return token;
    await this.audit.record(actor, {
      action: 'token.revoke',
      environment: null,
      target: id,
      details: { name: token.name },
    });
    return token;
  }

  /** The principal a presented token stands for, or null when it is unknown, revoked or expired. */
  async authenticate(presented: string): Promise<Principal | null> {
    const match = TOKEN_PATTERN.exec(presented);
    if (!match) return null;
    const found = await this.tokens.findForCheck(match[1]);
    if (!found) return null;

    const expected = Buffer.from(found.secretHash, 'hex');
    const given = Buffer.from(hashOf(presented), 'hex');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const { token } = found;
    const now = this.now();
    if (token.revokedAt || (token.expiresAt && token.expiresAt <= now)) return null;

    this.tokens.touch(token.id, now).catch((err) => {
      this.log.warn({ err, tokenId: token.id }, 'could not record token use');
    });
    return {
      tokenId: token.id,
      name: token.name,
      role: token.role,
      environments: token.environments,
    };
  }
}
