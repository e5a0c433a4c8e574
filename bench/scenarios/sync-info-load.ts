import { segment } from '../../src/client/api-client';
import type { BenchStack } from '../bench-stack';
import { allCities } from '../cities';
import { deployCitiesFlow } from '../flows';

export interface LatencyFigure {
  name: string;
  path: string;
  p50Ms: number;
  p95Ms: number;
  /** Rows the answer held (records, or deployments). */
  rows: number;
}

export interface SyncInfoResult {
  ledgerRows: number;
  requests: number;
  figures: LatencyFigure[];
}

const ENVIRONMENT = 'bench-sync-info';
const WARM_UP = 20;
const COPY_ID_STRIDE = 100_000_000;
const INSERT_CHUNK = 100_000;

/**
 * Sync Info over a ledger of `rows` records (90 % Success, 8 % Failed, 2 % Unprocessed, one
 * snapshot each, written straight into Postgres and analysed), read through the HTTP API one
 * request at a time: p50 and p95 of each kind of question an operator asks.
 */
export async function syncInfoLoad(
  stack: BenchStack,
  rows: number,
  requests: number,
): Promise<SyncInfoResult> {
  await stack.api.put(`/environments/${ENVIRONMENT}`, { description: 'Sync Info under load' });
  const deploymentId = await deployCitiesFlow(stack, {
    name: 'sync-info-load',
    file: 'cities-1000000.jsonl',
    table: 'sync_info_load',
    environment: ENVIRONMENT,
  });
  const sourceIds = await fillLedger(stack, deploymentId, rows);

  const base = `/deployments/${segment(deploymentId)}/sync-info?limit=50`;
  const deep = sourceIds.sort()[Math.floor(rows * 0.9)];
  const questions = [
    { name: 'first page', path: base },
    { name: 'deep page (keyset)', path: `${base}&after=${encodeURIComponent(deep)}` },
    { name: 'status filter (Failed)', path: `${base}&status=Failed` },
    { name: 'source-id substring', path: `${base}&sourceId=4711` },
    { name: 'deployments list with counts', path: `/environments/${ENVIRONMENT}/deployments` },
  ];
  const figures: LatencyFigure[] = [];
  for (const question of questions) figures.push(await measure(stack, question, requests));
  return { ledgerRows: rows, requests, figures };
}

async function measure(
  stack: BenchStack,
  question: { name: string; path: string },
  requests: number,
): Promise<LatencyFigure> {
  const times: number[] = [];
  let answer: { records?: unknown[]; deployments?: unknown[] } = {};
  for (let i = 0; i < WARM_UP + requests; i++) {
    const started = performance.now();
    answer = await stack.api.get(question.path);
    if (i >= WARM_UP) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return {
    ...question,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    rows: (answer.records ?? answer.deployments ?? []).length,
  };
}

/** Writes the ledger rows and their snapshots; answers the source ids. */
async function fillLedger(
  stack: BenchStack,
  deploymentId: string,
  rows: number,
): Promise<string[]> {
  const cities = allCities();
  const sourceIds = Array.from({ length: rows }, (_, i) =>
    String(cities[i % cities.length].cityId + Math.floor(i / cities.length) * COPY_ID_STRIDE),
  );
  const [{ id: executionId }] = await stack
    .db('executions')
    .insert({
      deployment_id: deploymentId,
      seq: 1,
      kind: 'main',
      workflow_id: `execution/${deploymentId}/1`,
      version: 1,
      status: 'completed',
    })
    .returning('id');

  for (let from = 0; from < rows; from += INSERT_CHUNK) {
    const chunk = sourceIds.slice(from, from + INSERT_CHUNK);
    await stack.db.raw(
      `insert into records (deployment_id, source_id, node_name, status, tries, last_execution_id,
         last_attempt_kind, last_attempt_at, last_error, last_error_node)
       select ?, sid, 'Cities file', s.status, case s.status when 'Failed' then 3 else 1 end, ?,
         'main', now() - make_interval(secs => n),
         case s.status when 'Failed' then 'new row for relation "sync_info_load" violates check constraint "population_check"' end,
         case s.status when 'Failed' then 'Cities table' end
       from unnest(?::text[]) with ordinality as t(sid, n),
         lateral (select case when (n + ?) % 50 = 0 then 'Unprocessed'
                              when (n + ?) % 12 = 0 then 'Failed'
                              else 'Success' end as status) s`,
      [deploymentId, String(executionId), chunk, from, from],
    );
    await stack.db.raw(
      `insert into snapshots (deployment_id, execution_id, attempt_kind, source_id, try_number,
         status, nodes, payload_bytes, started_at, finished_at)
       select r.deployment_id, ?, 'main', r.source_id, 1,
         case r.status when 'Unprocessed' then 'Failed' else r.status end,
         jsonb_build_array(
           jsonb_build_object('node', 'Cities file', 'kind', 'source', 'ms', 0, 'output',
             jsonb_build_object('cityId', r.source_id::bigint, 'name', 'City ' || r.source_id,
               'country', 'AD', 'population', 1052,
               'loc', jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(1.65, 42.57)))),
           jsonb_build_object('node', 'Map to table columns', 'kind', 'map', 'ms', 0.05, 'output',
             jsonb_build_object('city_id', r.source_id::bigint, 'name', 'City ' || r.source_id,
               'country', 'AD', 'population', 1052, 'latitude', 42.57, 'longitude', 1.65))),
         420, r.last_attempt_at, r.last_attempt_at
       from records r where r.deployment_id = ? and r.source_id = any(?::text[])`,
      [String(executionId), deploymentId, chunk],
    );
  }
  await stack.db.raw('analyze records');
  await stack.db.raw('analyze snapshots');
  return sourceIds;
}
