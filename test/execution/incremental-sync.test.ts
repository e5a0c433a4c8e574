import { systemActor } from '../../src/domain/access';
import { ProcessflowHarness } from '../helpers/processflow-harness';

let harness: ProcessflowHarness;
let deploymentId: string;

beforeAll(async () => {
  harness = await ProcessflowHarness.start({ pageSize: 2 });
  const { knex } = harness.db;
  await knex.raw('create schema src');
  await knex.raw(
    `create table src.items (id integer primary key, name text not null,
       updated_at timestamptz(6) not null)`,
  );
  await knex.raw(
    `insert into src.items
     select i, 'item ' || i, timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute'
     from generate_series(1, 5) i`,
  );
  await createDestination();
  deploymentId = await harness.deploy(
    harness.definition('items', 'unused', 'items', {
      source: {
        name: 'Items table',
        connector: 'postgres',
        config: {
          connectionSecret: harness.destinationSecret,
          schema: 'src',
          table: 'items',
          updatedColumn: 'updated_at',
        },
        idField: 'id',
      },
    }),
  );
});

afterAll(() => harness?.stop());

function createDestination() {
  return harness.db.knex.raw(
    'create table dest.items (id integer primary key, name text not null)',
  );
}

/** Changes rows at the source, each later than anything before. */
function touch(ids: number[]) {
  return harness.db.knex.raw(
    `update src.items set name = name || '*',
       updated_at = (select max(updated_at) from src.items) + interval '1 second'
     where id = any(?)`,
    [ids],
  );
}

async function mark() {
  const row = await harness.db.knex('source_marks').where({ deployment_id: deploymentId }).first();
  return row?.mark ?? null;
}

const triesById = async () =>
  Object.fromEntries((await harness.ledger(deploymentId)).map((r) => [r.source_id, r.tries]));

describe('incremental main runs of a PostgreSQL source with an updated column', () => {
  let firstMark: string;

  it('reads everything the first time and keeps the highest mark once the run completes', async () => {
    const run = await harness.run(deploymentId);

    expect(run).toMatchObject({ status: 'completed', recordsFetched: 5, sinceMark: null });
    firstMark = (await mark())!;
    expect(firstMark).toBe('2026-01-01T00:05:00.000000Z');
    expect(run.reachedMark).toBe(firstMark);
  });

  it('then fetches only the records changed since', async () => {
    await touch([2, 4]);

    const run = await harness.run(deploymentId);

    expect(run).toMatchObject({ status: 'completed', recordsFetched: 2, sinceMark: firstMark });
    expect(await triesById()).toEqual({ '1': 1, '2': 2, '3': 1, '4': 2, '5': 1 });
    expect(await mark()).toBe('2026-01-01T00:05:01.000000Z');
  });

  it('does not move the mark when a run fails, so the next run still fetches the change', async () => {
    const before = await mark();
    await touch([3]);
    await harness.db.knex.raw('drop table dest.items');

    const failed = await harness.run(deploymentId);

    expect(failed.status).toBe('failed');
    expect(failed.reachedMark).toBeNull();
    expect(await mark()).toBe(before);

    await createDestination();
    const next = await harness.run(deploymentId);

    expect(next).toMatchObject({ status: 'completed', recordsFetched: 1, sinceMark: before });
    expect((await harness.ledger(deploymentId)).find((r) => r.source_id === '3')).toMatchObject({
      status: 'Success',
      tries: 2,
    });
    expect(await harness.db.knex('dest.items').where({ id: 3 }).first()).toEqual({
      id: 3,
      name: 'item 3*',
    });
  });

  it('reads the whole source again when asked for a full run', async () => {
    const started = await harness.services.executions.executeNow(
      deploymentId,
      'test',
      systemActor('test'),
      { full: true },
    );
    await harness.waitForWorkflow(started.workflowId);
    const run = await harness.services.executions.get(started.id);

    expect(run).toMatchObject({ status: 'completed', recordsFetched: 5, sinceMark: null });
    expect(await mark()).toBe('2026-01-01T00:05:02.000000Z');
  });
});
