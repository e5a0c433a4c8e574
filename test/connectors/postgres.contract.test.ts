import { createPostgresDestination } from '../../src/connectors/postgres-destination/postgres-destination';
import { createPostgresSource } from '../../src/connectors/postgres-source/postgres-source';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { openDestination, openSource, testContext } from './contract/connector-context';
import { describeDestinationContract } from './contract/destination-contract';
import { describeIncrementalSourceContract } from './contract/incremental-source-contract';
import { describeSourceContract } from './contract/source-contract';

let db: TestDatabase;
const source = createPostgresSource({ maxRecordBytes: 64 * 1024 });
const destination = createPostgresDestination();
let tables = 0;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all([source.close(), destination.close()]);
  await db?.destroy();
});

const context = () => testContext({ DB_URL: db.url, WRONG_URL: wrongPassword(db.url) });
const unreachable = () => testContext({ DB_URL: 'postgres://postgres:x@127.0.0.1:1/none' });

function wrongPassword(url: string) {
  return url.replace(/:\/\/([^:]+):[^@]*@/, '://$1:not-the-password@');
}

describeSourceContract('PostgreSQL source', async () => ({
  async openWith(records) {
    const table = `source_${++tables}`;
    await db.knex.schema.createTable(table, (t) => {
      t.text('id').primary();
      t.text('name');
    });
    if (records.length > 0) await db.knex(table).insert(records);
    return openSource(source, { connectionSecret: 'DB_URL', table }, context());
  },
  faults: [
    {
      name: 'a missing table',
      expected: 'fatal',
      open: () => openSource(source, { connectionSecret: 'DB_URL', table: 'nope' }, context()),
    },
    {
      name: 'a wrong password',
      expected: 'fatal',
      open: () => openSource(source, { connectionSecret: 'WRONG_URL', table: 't' }, context()),
    },
    {
      name: 'an unreachable server',
      expected: 'transient',
      open: () => openSource(source, { connectionSecret: 'DB_URL', table: 't' }, unreachable()),
    },
    {
      name: 'a secret that is not set',
      expected: 'fatal',
      open: () => openSource(source, { connectionSecret: 'UNSET', table: 't' }, context()),
    },
  ],
}));

describeIncrementalSourceContract('PostgreSQL source (updatedColumn)', async () => ({
  async create(records) {
    const table = `changes_${++tables}`;
    await db.knex.schema.createTable(table, (t) => {
      t.text('id').primary();
      t.text('name');
      t.timestamp('updated_at', { useTz: true, precision: 6 });
    });
    await db.knex(table).insert(records);
    const config = { connectionSecret: 'DB_URL', table, updatedColumn: 'updated_at' };
    return {
      open: () => openSource(source, config, context()),
      async change(ids) {
        // Microseconds past the last mark: the mark keeps them, so nothing is read twice.
        await db.knex.raw(
          `update ?? set name = name || ' (changed)',
             updated_at = (select max(updated_at) from ??) + interval '1.000001 second'
           where id = any(?)`,
          [table, table, ids],
        );
      },
    };
  },
}));

describeDestinationContract('PostgreSQL destination', async () => {
  let table = '';
  const config = (secret = 'DB_URL', name = table) => ({
    connectionSecret: secret,
    table: name,
    key: ['key'],
  });
  return {
    async openWriter() {
      table = `destination_${++tables}`;
      await db.knex.schema.createTable(table, (t) => {
        t.text('key').primary();
        t.text('name').notNullable();
      });
      return openDestination(destination, config(), context());
    },
    async stored() {
      const rows = await db.knex(table).select('key', 'name');
      return rows.map((r) => [r.key, r.name]);
    },
    replacesAcrossAttempts: true,
    faults: [
      {
        name: 'a row the table refuses',
        expected: 'record',
        open: async () => {
          await db.knex.raw(
            'create table if not exists short_names (key text primary key, name varchar(1))',
          );
          return openDestination(destination, config('DB_URL', 'short_names'), context());
        },
      },
      {
        name: 'a missing table',
        expected: 'fatal',
        open: () => openDestination(destination, config('DB_URL', 'nope'), context()),
      },
      {
        name: 'a wrong password',
        expected: 'fatal',
        open: () => openDestination(destination, config('WRONG_URL'), context()),
      },
      {
        name: 'an unreachable server',
        expected: 'transient',
        open: () => openDestination(destination, config(), unreachable()),
      },
    ],
  };
});
