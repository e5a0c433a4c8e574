import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { runTokenCommand, TokenCommandError } from '../../access/token-commands';
import { loadConfig } from '../../config';
import { createKnex } from '../../db/knex';
import { systemActor } from '../../domain/access';
import { createLogger } from '../../logger';
import { AuditService } from '../../services/audit-service';
import { TokenService } from '../../services/token-service';
import { AuditStore } from '../../stores/audit-store';
import { TokenStore } from '../../stores/token-store';
import type { CliApi } from '../cli-api';
import { CliError, ExitCode } from '../exit-codes';
import { print, printJson, segment, table, when } from '../output';
import { wholeNumber } from '../option-parsers';

interface Token {
  id: string;
  name: string;
  role: string;
  environments: string[] | null;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/**
 * Straight against the database, for the first admin token, when no token exists to ask the
 * API with: the same code as `npm run tokens`.
 */
async function onDatabase(argv: string[]): Promise<void> {
  const config = loadConfig();
  const db = createKnex(config.databaseUrl, { min: 0, max: 1 });
  try {
    const audit = new AuditService(new AuditStore(db));
    const tokens = new TokenService(new TokenStore(db), audit, createLogger('silent'));
    const actor = systemActor(`processflow tokens (${userInfo().username})`);
    print(await runTokenCommand(tokens, argv, actor));
  } catch (error) {
    if (error instanceof TokenCommandError) throw new CliError(error.message, ExitCode.usage);
    throw error;
  } finally {
    await db.destroy();
  }
}

export function addTokenCommands(program: Command, api: () => CliApi) {
  const tokens = program
    .command('tokens')
    .description('API tokens (admin): list, create, revoke; --database works without a token');

  tokens
    .command('list')
    .option('--database', 'read the database of DATABASE_URL instead of asking the API')
    .action(async (options: { database?: boolean }) => {
      if (options.database) return onDatabase(['list']);
      const client = api();
      const { tokens: found } = await client.get<{ tokens: Token[] }>('/tokens');
      if (client.options.json) return printJson(found);
      print(
        table(
          ['id', 'name', 'role', 'environments', 'expires', 'revoked', 'last used'],
          found.map((t) => [
            t.id,
            t.name,
            t.role,
            t.environments?.join(', ') ?? 'all',
            when(t.expiresAt),
            when(t.revokedAt),
            when(t.lastUsedAt),
          ]),
        ),
      );
    });

  tokens
    .command('create')
    .description('prints the token once: keep it, it cannot be shown again')
    .argument('<name>', 'who or what holds it; the audit log shows it')
    .requiredOption('--role <role>', 'viewer, operator or admin')
    .option('--environment <name...>', 'environments it reaches (default: all)')
    .option('--expires-in-days <n>', 'days until it stops working', wholeNumber(1))
    .option('--database', 'write to the database of DATABASE_URL instead (the first admin token)')
    .action(
      async (
        name: string,
        options: {
          role: string;
          environment?: string[];
          expiresInDays?: number;
          database?: boolean;
        },
      ) => {
        if (options.database) {
          return onDatabase([
            'create',
            '--name',
            name,
            '--role',
            options.role,
            ...(options.environment ?? []).flatMap((e) => ['--environment', e]),
            ...(options.expiresInDays ? ['--expires-in-days', String(options.expiresInDays)] : []),
          ]);
        }
        const client = api();
        const created = await client.post<{ token: Token; secret: string }>('/tokens', {
          name,
          role: options.role,
          ...(options.environment && { environments: options.environment }),
          ...(options.expiresInDays && { expiresInDays: options.expiresInDays }),
        });
        if (client.options.json) return printJson(created);
        print(`created ${created.token.id} (${created.token.name}, ${created.token.role})`);
        print(created.secret);
      },
    );

  tokens
    .command('revoke')
    .argument('<id>', 'token id (16 hexadecimal digits)')
    .option('--database', 'write to the database of DATABASE_URL instead')
    .action(async (id: string, options: { database?: boolean }) => {
      if (options.database) return onDatabase(['revoke', id]);
      const client = api();
      const token = await client.delete<Token>(`/tokens/${segment(id)}`);
      if (client.options.json) return printJson(token);
      print(`revoked ${token.id} (${token.name})`);
    });
}
