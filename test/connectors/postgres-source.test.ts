import { createPostgresSource } from '../../src/connectors/postgres-source/postgres-source';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { openSource, testContext } from './contract/connector-context';
import { readAll } from './contract/source-contract';

let db: TestDatabase;
const source = createPostgresSource({ maxRecordBytes: 64 * 1024 });

beforeAll(async () => {
  db = await createTestDatabase();
  await db.knex.raw(`
    create table orders (
      order_no bigint primary key,
      placed_at timestamptz not null,
      amount numeric(12, 2),
      note text
    );
    insert into orders values
      (9007199254740993, '2026-03-01 10:00:00.123456+00', 12.50, 'big key'),
      (2, '2026-03-02 11:00:00+00', 3.00, null),
      (3, '2026-03-03 12:00:00+00', 4.00, 'third');
    create view open_orders as select order_no as id, note from orders where note is not null;
    create table loose (id text, name text);
    insert into loose values ('a', 'kept'), (null, 'lost'), (null, 'lost too');
  `);
});

afterAll(async () => {
  await source.close();
  await db?.destroy();
});

const open = (config: object, idField = 'order_no') =>
  openSource(
    source,
    { connectionSecret: 'DB_URL', ...config },
    testContext({ DB_URL: db.url }),
    idField,
  );

describe('the PostgreSQL source', () => {
  it('reads rows in key order, keeping big keys, numerics and timestamps exact', async () => {
    const { items } = await readAll(await open({ table: 'orders' }), 2, 5);

    expect(items.map((i) => i.id)).toEqual(['2', '3', '9007199254740993']);
    expect(items[2].data).toEqual({
      order_no: '9007199254740993',
      placed_at: '2026-03-01T10:00:00.123Z',
      amount: '12.50',
      note: 'big key',
    });
  });

  it('finds rows by id, also when some ids are not valid for the key type', async () => {
    const reader = await open({ table: 'orders' });

    const found = await reader.getByIds(['9007199254740993', 'line 3', '2']);

    expect([...found.keys()].sort()).toEqual(['2', '9007199254740993']);
  });

  it('reads a view, keyed by its own column', async () => {
    const { items } = await readAll(await open({ table: 'open_orders' }, 'id'), 10, 3);

    expect(items.map((i) => i.data)).toEqual([
      { id: '3', note: 'third' },
      { id: '9007199254740993', note: 'big key' },
    ]);
  });

  it('reports rows without a key once, instead of skipping them silently', async () => {
    const page = await (await open({ table: 'loose' }, 'id')).listPage(null, 10);

    expect(page.records.map((r) => r.id)).toEqual(['a']);
    expect(page.rejects).toEqual([
      {
        locator: 'rows without id',
        error: '2 rows have no value in key column "id" and cannot be read',
      },
    ]);
  });

  it('does not shift pages when rows are inserted before the cursor while paging', async () => {
    await db.knex.raw('create table growing (id int primary key, name text)');
    await db.knex('growing').insert([10, 20, 30, 40, 50].map((id) => ({ id, name: `n${id}` })));
    const reader = await open({ table: 'growing' }, 'id');

    const first = await reader.listPage(null, 2);
    await db.knex('growing').insert([{ id: 1, name: 'early' }]);
    const rest = await readAll(
      { ...reader, listPage: (c, n) => reader.listPage(c ?? first.nextCursor, n) },
      2,
      5,
    );

    expect([...first.records, ...rest.items].map((i) => i.id)).toEqual([
      '10',
      '20',
      '30',
      '40',
      '50',
    ]);
  });

  it('refuses a dotted idField it cannot query', async () => {
    await expect(open({ table: 'orders' }, 'order.no')).rejects.toThrow(
      /needs idField "order.no" to be a column name/,
    );
  });
});
