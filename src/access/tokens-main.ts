import { userInfo } from 'node:os';
import { loadConfig } from '../config';
import { createKnex } from '../db/knex';
import { systemActor } from '../domain/access';
import { InputError, NotFoundError } from '../domain/errors';
import { createLogger } from '../logger';
import { AuditService } from '../services/audit-service';
import { TokenService } from '../services/token-service';
import { AuditStore } from '../stores/audit-store';
import { TokenStore } from '../stores/token-store';
import { runTokenCommand, TokenCommandError } from './token-commands';

/**
 * `npm run tokens -- create|list|revoke …`: manages API tokens straight in the database, which
 * is how an operator creates the first admin token. The audit log names the machine user.
 */
async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'tokens');
  const db = createKnex(config.databaseUrl, { min: 0, max: 1 });
  try {
    const tokens = new TokenService(new TokenStore(db), new AuditService(new AuditStore(db)), log);
    const actor = systemActor(`tokens script (${userInfo().username})`);
    process.stdout.write(`${await runTokenCommand(tokens, process.argv.slice(2), actor)}\n`);
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  const known = [TokenCommandError, InputError, NotFoundError].some((k) => error instanceof k);
  if (known) {
    const issues =
      error instanceof InputError ? error.issues.map((i) => `\n  ${i.path}: ${i.message}`) : [];
    process.stderr.write(`${error.message}${issues.join('')}\n`);
    process.exitCode = 2;
    return;
  }
  createLogger('error', 'tokens').error({ err: error }, 'tokens command failed');
  process.exitCode = 1;
});
