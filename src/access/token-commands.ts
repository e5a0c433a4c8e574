import { parseArgs } from 'node:util';
import { type Actor, type ApiToken, type Role, roles } from '../domain/access';
import type { TokenService } from '../services/token-service';

const DAY_MS = 86_400_000;

export const TOKEN_USAGE = `usage:
  tokens create --name NAME --role viewer|operator|admin [--environment ENV ...] [--expires-in-days N]
  tokens list
  tokens revoke ID`;

/** A usage mistake: the message says what to type instead. */
export class TokenCommandError extends Error {
  override readonly name = 'TokenCommandError';
}

/**
 * The token commands, shared by `npm run tokens` (straight to the database, for the first admin
 * token) and the CLI. Answers the text to print.
 */
export async function runTokenCommand(
  tokens: TokenService,
  argv: string[],
  actor: Actor,
): Promise<string> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'create':
      return create(tokens, rest, actor);
    case 'list':
      return list(await tokens.list());
    case 'revoke': {
      if (rest.length !== 1)
        throw new TokenCommandError(`revoke takes one token id\n${TOKEN_USAGE}`);
      const token = await tokens.revoke(rest[0], actor);
      return `revoked ${token.id} (${token.name})`;
    }
    default:
      throw new TokenCommandError(TOKEN_USAGE);
  }
}

async function create(tokens: TokenService, args: string[], actor: Actor): Promise<string> {
  const { values } = parseCreateArgs(args);
  if (!values.name || !values.role) {
    throw new TokenCommandError(`create needs --name and --role\n${TOKEN_USAGE}`);
  }
  if (!roles.includes(values.role as Role)) {
    throw new TokenCommandError(`--role is one of ${roles.join(', ')}, not "${values.role}"`);
  }
  const days = values['expires-in-days'] ? Number(values['expires-in-days']) : undefined;
  if (days !== undefined && !(Number.isInteger(days) && days > 0)) {
    throw new TokenCommandError('--expires-in-days takes a whole number of days, 1 or more');
  }
  const { token, secret } = await tokens.create(
    {
      name: values.name,
      role: values.role as Role,
      environments: values.environment ?? null,
      expiresAt: days ? new Date(Date.now() + days * DAY_MS) : null,
    },
    actor,
  );
  return [
    `created token ${token.id} "${token.name}": ${token.role}, ${scopeOf(token)}`,
    '',
    secret,
    '',
    'It is shown only this once: keep it in a secret store. Send it as',
    '  Authorization: Bearer <token>',
  ].join('\n');
}

/** Options of `create`; a malformed command line is a usage mistake, not a crash. */
function parseCreateArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        name: { type: 'string' },
        role: { type: 'string' },
        environment: { type: 'string', multiple: true },
        'expires-in-days': { type: 'string' },
      },
    });
  } catch (error) {
    throw new TokenCommandError(`${(error as Error).message}\n${TOKEN_USAGE}`);
  }
}

function list(all: ApiToken[]): string {
  if (all.length === 0) return 'no tokens';
  return all
    .map((token) => {
      const state = token.revokedAt
        ? `revoked ${token.revokedAt.toISOString()}`
        : token.expiresAt
          ? `expires ${token.expiresAt.toISOString()}`
          : 'active';
      return `${token.id}  ${token.role.padEnd(8)}  ${token.name}  (${scopeOf(token)}; ${state})`;
    })
    .join('\n');
}

const scopeOf = (token: ApiToken) =>
  token.environments ? `environments ${token.environments.join(', ')}` : 'every environment';
