import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcessflowHarness } from '../helpers/processflow-harness';
import { scanHistories } from '../helpers/workflow-histories';

let harness: ProcessflowHarness;

beforeAll(async () => {
  harness = await ProcessflowHarness.start({ pageSize: 4 });
  await harness.db.knex.raw('create table dest.rows (id text primary key, name text not null)');
});

afterAll(() => harness?.stop());

const auto = { mode: 'auto' as const, frequency: 'hourly' as const, interval: 1 };

async function deployFile(name: string, file: string) {
  const definition = harness.definition(name, file, 'rows');
  return harness.deploy(
    {
      ...definition,
      steps: [{ name: 'Map', type: 'map', expression: '{ "id": $string(id), "name": name }' }],
    },
    auto,
  );
}

interface Outcome {
  status: string;
  tries: number;
  error: string | null;
  retry: string | null;
}

async function outcomes(deploymentId: string): Promise<Record<string, Outcome>> {
  const rows = await harness.ledger(deploymentId);
  return Object.fromEntries(
    rows.map((r) => [
      r.source_id,
      { status: r.status, tries: r.tries, error: r.last_error, retry: r.retry_state },
    ]),
  );
}

describe('a CSV file with broken rows', () => {
  it('fails each broken row with a clear error, and the run goes on to the end', async () => {
    await writeFile(
      join(harness.files, 'broken.csv'),
      ['id,name', '1,Ada', '2,Bob,extra', '3,"Chris', '4,Dee', '5,"Eve"x', '6,Fay', ''].join('\n'),
    );
    const deploymentId = await deployFile('broken-csv', 'broken.csv');

    const execution = await harness.run(deploymentId);

    expect(execution).toMatchObject({
      status: 'completed',
      recordsFetched: 6,
      recordsSucceeded: 3,
    });
    expect(await outcomes(deploymentId)).toEqual({
      '1': { status: 'Success', tries: 1, error: null, retry: null },
      '4': { status: 'Success', tries: 1, error: null, retry: null },
      '6': { status: 'Success', tries: 1, error: null, retry: null },
      'line 3': {
        status: 'Failed',
        tries: 1,
        error: 'row has 3 fields, the header has 2',
        retry: null,
      },
      'line 4': {
        status: 'Failed',
        tries: 1,
        error: 'row cannot be read as CSV (Invalid Closing Quote)',
        retry: null,
      },
      'line 6': {
        status: 'Failed',
        tries: 1,
        error: 'row cannot be read as CSV (Invalid Closing Quote)',
        retry: null,
      },
    });
  });
});

describe('a JSON Lines file with an invalid line, an oversized record and an overlong id', () => {
  it('fails each of them with a clear error and without automatic retries', async () => {
    const big = { id: 'big', name: 'x'.repeat(1_100_000) };
    const large = { id: 'large', name: 'y'.repeat(600_000) };
    const longId = { id: 'z'.repeat(5_000), name: 'long id' };
    await harness.writeJsonLines('hostile.jsonl', [
      { id: 'ok', name: 'fine' },
      '{"id": "half", "name": ',
      big,
      longId,
      large,
      { id: 'refused', name: null },
      '[1, 2, 3]',
    ]);
    const deploymentId = await deployFile('hostile-jsonl', 'hostile.jsonl');

    const execution = await harness.run(deploymentId);

    expect(execution).toMatchObject({
      status: 'completed',
      recordsFetched: 7,
      recordsSucceeded: 2,
    });
    const found = await outcomes(deploymentId);
    expect(found).toMatchObject({
      ok: { status: 'Success' },
      large: { status: 'Success' },
      'line 2': {
        status: 'Failed',
        retry: null,
        error: expect.stringMatching(/^line is not valid JSON/),
      },
      'line 3': { status: 'Failed', retry: null, error: 'record is larger than 1048576 bytes' },
      'line 4': {
        status: 'Failed',
        retry: null,
        error: expect.stringMatching(/^record id is 5000 bytes long/),
      },
      'line 7': { status: 'Failed', retry: null, error: 'line is JSON but not an object' },
      // A record the destination refuses is worth retrying: its lifecycle waits.
      refused: { status: 'Failed', retry: 'waiting' },
    });
  });
});

describe('the workflow histories of those runs', () => {
  it("hold no payload anywhere near Temporal's limits", async () => {
    const scan = await scanHistories(
      harness.server.client,
      `Environment = "${harness.environment}"`,
    );

    // Temporal refuses payloads over 2 MB and warns over 512 KB; records stay out of histories.
    process.stdout.write(
      `largest payload in ${scan.workflows} workflow histories (${scan.events} events, ` +
        `${scan.payloads} payloads): ${scan.largest.bytes} bytes, ${scan.largest.eventType} of ` +
        `${scan.largest.workflowId}\n`,
    );
    expect(scan.workflows).toBeGreaterThanOrEqual(3);
    expect(scan.largest.bytes).toBeLessThan(16 * 1024);
  });
});
