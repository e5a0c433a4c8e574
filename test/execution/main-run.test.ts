import { ProcessflowHarness } from '../helpers/processflow-harness';
import { setSecret, unsetSecret } from '../helpers/secrets';

let harness: ProcessflowHarness;

beforeAll(async () => {
  harness = await ProcessflowHarness.start({ pageSize: 3 });
});

afterAll(() => harness?.stop());

async function createTable(table: string) {
  await harness.db.knex.raw(
    `create table dest.${table} (id integer primary key, name text not null)`,
  );
}

describe('a main run over a small file', () => {
  let deploymentId: string;

  beforeAll(async () => {
    await createTable('people');
    await harness.writeJsonLines('people.jsonl', [
      { id: 1, name: 'Ada' },
      { id: 2, name: null }, // the destination's NOT NULL refuses it
      '{"id": 3, "name": "broken', // not JSON
      { name: 'no id' },
      { id: 5, name: 'Zoë' },
    ]);
    deploymentId = await harness.deploy(harness.definition('people', 'people.jsonl', 'people'));
  });

  it('ends completed with the totals of every page', async () => {
    const execution = await harness.run(deploymentId);

    expect(execution).toMatchObject({
      status: 'completed',
      workflowId: `execution/${deploymentId}/1`,
      recordsFetched: 5,
      recordsSucceeded: 2,
      recordsFailed: 3,
      pages: 2,
    });
  });

  it('leaves one ledger row per record with its status, tries and reason', async () => {
    const rows = await harness.ledger(deploymentId);

    expect(rows.map((r) => [r.source_id, r.status, r.tries, r.node_name])).toEqual([
      ['1', 'Success', 1, 'Test file'],
      ['2', 'Failed', 1, 'Test file'],
      ['5', 'Success', 1, 'Test file'],
      ['line 3', 'Failed', 1, 'Test file'],
      ['line 4', 'Failed', 1, 'Test file'],
    ]);
    const byId = Object.fromEntries(rows.map((r) => [r.source_id, r]));
    expect(byId['2'].last_error).toMatch(
      /null value in column "name".*violates not-null constraint/,
    );
    expect(byId['2'].last_error_node).toBe('Test table');
    expect(byId['line 3'].last_error).toMatch(/line is not valid JSON/);
    expect(byId['line 4'].last_error).toBe('record has no id in field "id"');
  });

  it('writes the records that passed to the destination, exactly as sent', async () => {
    const rows = await harness.db.knex('dest.people').orderBy('id');

    expect(rows).toEqual([
      { id: 1, name: 'Ada' },
      { id: 5, name: 'Zoë' },
    ]);
  });

  it('keeps one snapshot per record with the data at every node', async () => {
    const snapshots = await harness.snapshots(deploymentId);
    const failed = snapshots.find((s) => s.source_id === '2');

    expect(snapshots).toHaveLength(5);
    expect(failed.nodes.map((n: { node: string }) => n.node)).toEqual([
      'Test file',
      'Map',
      'Test table',
    ]);
    expect(failed.nodes[0].output).toEqual({ id: 2, name: null });
    expect(failed.nodes[2].request.values).toEqual({ id: 2, name: null });
    expect(failed.nodes[2].response.code).toBe('23502');
    expect(failed).toMatchObject({ status: 'Failed', try_number: 1, attempt_kind: 'main' });
  });

  it('counts a second run as a second try, with a second snapshot per record', async () => {
    const execution = await harness.run(deploymentId);
    const rows = await harness.ledger(deploymentId);
    const snapshots = await harness.snapshots(deploymentId);

    expect(execution.status).toBe('completed');
    expect(rows.map((r) => r.tries)).toEqual([2, 2, 2, 2, 2]);
    expect(snapshots).toHaveLength(10);
    expect(snapshots.filter((s) => s.source_id === '1').map((s) => s.try_number)).toEqual([1, 2]);
  });
});

describe('the same id twice in one page', () => {
  it('ends as one ledger row holding the later record', async () => {
    await createTable('dupes');
    await harness.writeJsonLines('dupes.jsonl', [
      { id: 7, name: 'first' },
      { id: 7, name: 'second' },
    ]);
    const deploymentId = await harness.deploy(harness.definition('dupes', 'dupes.jsonl', 'dupes'));

    const execution = await harness.run(deploymentId);

    expect(execution).toMatchObject({
      status: 'completed',
      recordsFetched: 1,
      recordsSucceeded: 1,
    });
    expect((await harness.ledger(deploymentId)).map((r) => [r.source_id, r.tries])).toEqual([
      ['7', 1],
    ]);
    expect(await harness.snapshots(deploymentId)).toHaveLength(1);
    expect(await harness.db.knex('dest.dupes')).toEqual([{ id: 7, name: 'second' }]);
  });
});

describe('a destination that rejects the credentials', () => {
  it('stops the run at once and leaves the page it was on Unprocessed', async () => {
    await createTable('locked');
    await harness.writeJsonLines(
      'locked.jsonl',
      [1, 2, 3, 4, 5, 6].map((id) => ({ id, name: `n${id}` })),
    );
    const secret = `${harness.destinationSecret}_WRONG_PASSWORD`;
    setSecret(secret, harness.db.url.replace(/:\/\/([^:]+):[^@]*@/, '://$1:not-the-password@'));
    const definition = harness.definition('locked', 'locked.jsonl', 'locked');
    definition.destination.config.connectionSecret = secret;
    const deploymentId = await harness.deploy(definition);

    const execution = await harness.run(deploymentId);
    unsetSecret(secret);

    expect(execution.status).toBe('failed');
    expect(execution.error).toMatch(
      /destination database refused the write: password authentication failed/,
    );
    expect(execution.pages).toBe(0);
    const rows = await harness.ledger(deploymentId);
    expect(rows.map((r) => [r.source_id, r.status, r.tries])).toEqual([
      ['1', 'Unprocessed', 0],
      ['2', 'Unprocessed', 0],
      ['3', 'Unprocessed', 0],
    ]);
    expect(await harness.snapshots(deploymentId)).toHaveLength(0);
  });
});

describe('records holding NUL characters', () => {
  it('fail with a clear error instead of stopping the run', async () => {
    await createTable('nul');
    await harness.writeJsonLines('nul.jsonl', [
      { id: 'a\u0000b', name: 'id with NUL' },
      { id: 2, name: 'data with \u0000 inside' },
      { id: 3, name: 'clean' },
    ]);
    const deploymentId = await harness.deploy(harness.definition('nul', 'nul.jsonl', 'nul'));

    const execution = await harness.run(deploymentId);

    expect(execution).toMatchObject({
      status: 'completed',
      recordsFetched: 3,
      recordsSucceeded: 1,
    });
    const rows = await harness.ledger(deploymentId);
    expect(rows.map((r) => [r.source_id, r.status])).toEqual([
      ['2', 'Failed'],
      ['3', 'Success'],
      ['a\u2400b', 'Failed'],
    ]);
    expect(rows[2].last_error).toMatch(/record id holds a NUL character/);
    expect(rows[0].last_error).toMatch(/invalid byte sequence|0x00/);
    const snapshot = (await harness.snapshots(deploymentId)).find((s) => s.source_id === '2');
    expect(snapshot.nodes[0].output.name).toBe('data with \u2400 inside');
  });
});
