import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { createKnex, migrateLatest } from './knex';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'migrate');
  const db = createKnex(config.databaseUrl);
  try {
    const applied = await migrateLatest(db);
    log.info({ applied }, 'migrations applied');
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  createLogger('error', 'migrate').error({ err: error }, 'migration failed');
  process.exitCode = 1;
});
