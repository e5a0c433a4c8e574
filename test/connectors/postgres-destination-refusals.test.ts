import type { WriteOutcome } from '../../src/connectors/connector';
import { createPostgresDestination } from '../../src/connectors/postgres-destination/postgres-destination';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { openDestination, testContext } from './contract/connector-context';

let db: TestDatabase;
const destination = createPostgresDestination();

beforeAll(async () => {
  db = await createTestDatabase();
  await db.knex.raw(
    'create table cities (city_id integer primary key, population integer not null check (population > 0))',
  );
});

afterAll(async () => {
  await destination.close();
  await db?.destroy();
});

const writer = () =>
  openDestination(
    destination,
    { connectionSecret: 'DB_URL', table: 'cities', key: ['city_id'] },
    testContext({ DB_URL: db.url }),
  );

const city = (id: number, population: number) => ({
  deploymentId: 'cities@test',
  sourceId: String(id),
  attemptKey: `cities@test/${id}/1`,
  data: { city_id: id, population },
});

const batchRows = (outcome: WriteOutcome) =>
  outcome.ok ? (outcome.response as { batchRows?: number }).batchRows : undefined;

describe('a batch the table refuses some rows of', () => {
  it('writes the accepted rows in batches and answers each refused row with its message', async () => {
    const refused = new Set([7, 150, 151, 299]);
    const batch = Array.from({ length: 300 }, (_, i) => city(i, refused.has(i) ? 0 : 1000 + i));

    const outcomes = await (await writer()).writeBatch(batch);

    expect(outcomes.filter((o) => !o.ok)).toHaveLength(refused.size);
    outcomes.forEach((outcome, i) => {
      expect(outcome.ok).toBe(!refused.has(i));
      if (!outcome.ok) expect(outcome.error).toMatch(/cities_population_check/);
    });
    const stored = await db.knex('cities').orderBy('city_id').pluck('city_id');
    expect(stored).toEqual(batch.map((_, i) => i).filter((i) => !refused.has(i)));
    // Most accepted rows went in groups, not one statement per row.
    const grouped = outcomes.filter((o) => (batchRows(o) ?? 1) > 1).length;
    expect(grouped).toBeGreaterThan(outcomes.length * 0.8);
  });

  it('answers every row of a batch the table refuses whole', async () => {
    const batch = Array.from({ length: 40 }, (_, i) => city(1000 + i, 0));

    const outcomes = await (await writer()).writeBatch(batch);

    expect(outcomes.every((o) => !o.ok)).toBe(true);
    expect(await db.knex('cities').where('city_id', '>=', 1000).count()).toEqual([{ count: '0' }]);
  });
});
