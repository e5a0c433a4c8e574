import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { createKnex } from '../../src/db/knex';
import { withDatabase } from '../../src/local/postgres-url';
import { adminQuery } from './admin-query';
import { trackOpenResource } from './open-resources';
import { requiredEnv } from './required-env';

export type TestDatabase = {
  knex: Knex;
  url: string;
  name: string;
  /** Closes the pool and drops the database; call it in afterAll. */
  destroy(): Promise<void>;
};

/** A fresh, migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = requiredEnv('TEST_DATABASE_URL');
  const template = requiredEnv('TEST_DATABASE_TEMPLATE');
  // Shares the template's run prefix, so global teardown drops whatever a crashed file left.
  const name = template.replace(/template$/, crypto.randomBytes(4).toString('hex'));

  await adminQuery(
    adminUrl,
    (c) => `create database ${c.escapeIdentifier(name)} template ${c.escapeIdentifier(template)}`,
  );
  const url = withDatabase(adminUrl, name);
  const knex = createKnex(url, { min: 0, max: 5 });
  const release = trackOpenResource(`Test database ${name} from createTestDatabase()`);

  const destroy = async (): Promise<void> => {
    await knex.destroy();
    await adminQuery(
      adminUrl,
      (c) => `drop database if exists ${c.escapeIdentifier(name)} with (force)`,
    );
    release();
  };
  return { knex, url, name, destroy };
}
