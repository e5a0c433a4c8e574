import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { BenchStack } from '../bench-stack';
import { writeCitiesFile } from '../cities';
import { createCitiesTable, deployCitiesFlow } from '../flows';

export interface ReferenceResult {
  records: number;
  batchSize: number;
  seconds: number;
  recordsPerSecond: number;
}

interface Row {
  city_id: number;
  name: string;
  country: string;
  population: number;
  latitude: number;
  longitude: number;
}

/**
 * The machine's limit for what a main run does: the same cities, read from the same file and
 * written by plain batched SQL into the same Postgres — per record a destination row, a ledger
 * row and a snapshot row with what a run's snapshot holds — one transaction per batch, on one
 * connection. No Temporal, no connectors, no transform engine.
 */
export async function referenceLimit(
  stack: BenchStack,
  count: number,
  batchSize: number,
): Promise<ReferenceResult> {
  const file = await writeCitiesFile(stack.filesDir, count);
  const table = `reference_${count}`;
  await createCitiesTable(stack, table);
  const deploymentId = await deployCitiesFlow(stack, { name: `reference-${count}`, file, table });
  const [{ id: executionId }] = await stack
    .db('executions')
    .insert({
      deployment_id: deploymentId,
      seq: 1,
      kind: 'main',
      workflow_id: `reference/${deploymentId}/1`,
      version: 1,
      status: 'completed',
    })
    .returning('id');
  const ledger = await stack.db.client.acquireConnection();
  const destination = await stack.destination.connect();

  try {
    const started = performance.now();
    let batch: Record<string, unknown>[] = [];
    const flush = async () => {
      await writeBatch(ledger, destination, table, deploymentId, Number(executionId), batch);
      batch = [];
    };
    const lines = createInterface({ input: createReadStream(join(stack.filesDir, file)) });
    for await (const line of lines) {
      batch.push(JSON.parse(line));
      if (batch.length === batchSize) await flush();
    }
    if (batch.length > 0) await flush();
    const seconds = (performance.now() - started) / 1000;
    return { records: count, batchSize, seconds, recordsPerSecond: count / seconds };
  } finally {
    destination.release();
    await stack.db.client.releaseConnection(ledger);
  }
}

type Connection = { query(text: string, values?: unknown[]): Promise<unknown> };

async function writeBatch(
  ledger: Connection,
  destination: Connection,
  table: string,
  deploymentId: string,
  executionId: number,
  cities: Record<string, unknown>[],
) {
  const rows: Row[] = cities.map((c) => {
    const [longitude, latitude] = (c.loc as { coordinates: [number, number] }).coordinates;
    const { cityId, name, country, population } = c as Record<string, never>;
    return { city_id: cityId, name, country, population, latitude, longitude };
  });
  await destination.query('begin');
  await destination.query(
    `insert into ${table} (city_id, name, country, population, latitude, longitude)
     select * from jsonb_to_recordset($1::jsonb) as x(city_id bigint, name text, country text,
       population integer, latitude float8, longitude float8)`,
    [JSON.stringify(rows)],
  );
  await destination.query('commit');

  const now = new Date().toISOString();
  const snapshots = cities.map((city, i) => ({
    source_id: String(rows[i].city_id),
    nodes: [
      { node: 'Cities file', kind: 'source', output: city, ms: 0 },
      { node: 'Map to table columns', kind: 'map', output: rows[i], ms: 0.05 },
      {
        node: 'Cities table',
        kind: 'destination',
        request: { upsert: `public.${table}`, key: ['city_id'], values: rows[i] },
        response: { command: 'INSERT', batchRows: rows.length, rowCount: rows.length },
        ms: 0.01,
      },
    ],
  }));
  await ledger.query('begin');
  await ledger.query(
    `insert into records (deployment_id, source_id, node_name, status, tries, last_execution_id,
       last_attempt_kind, last_attempt_at)
     select $1, x.source_id, 'Cities file', 'Success', 1, $2, 'main', $3
     from jsonb_to_recordset($4::jsonb) as x(source_id text)`,
    [
      deploymentId,
      executionId,
      now,
      JSON.stringify(snapshots.map((s) => ({ source_id: s.source_id }))),
    ],
  );
  await ledger.query(
    `insert into snapshots (deployment_id, execution_id, attempt_kind, source_id, try_number,
       status, nodes, payload_bytes, started_at, finished_at)
     select $1, $2, 'main', x.source_id, 1, 'Success', x.nodes, length(x.nodes::text), $3, $3
     from jsonb_to_recordset($4::jsonb) as x(source_id text, nodes jsonb)`,
    [deploymentId, executionId, now, JSON.stringify(snapshots)],
  );
  await ledger.query('commit');
}
