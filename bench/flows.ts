import { segment } from '../src/client/api-client';
import type { SyncSettingsChange } from '../src/domain/sync-settings';
import { type BenchStack, DESTINATION_SECRET, ENVIRONMENT } from './bench-stack';
import { waitUntil } from './node-process';

/** The JSONata map from a city to a row of the destination table. */
export const CITY_TO_ROW = `{
  "city_id": cityId,
  "name": name,
  "country": country,
  "population": population,
  "latitude": loc.coordinates[1],
  "longitude": loc.coordinates[0]
}`;

export interface ExecutionView {
  id: number;
  deploymentId: string;
  status: string;
  recordsFetched: number;
  recordsSucceeded: number;
  recordsFailed: number;
  pages: number;
  startedAt: string;
  finishedAt: string | null;
}

/**
 * A destination table for cities. `minPopulation` makes the database refuse every city below
 * it, with its own check-constraint message: a real reason for records to fail.
 */
export async function createCitiesTable(stack: BenchStack, table: string, minPopulation = 0) {
  await stack.destination.query(`drop table if exists ${table}`);
  await stack.destination.query(
    `create table ${table} (
       city_id bigint primary key,
       name text not null,
       country text not null,
       population integer not null check (population >= ${minPopulation}),
       latitude double precision not null,
       longitude double precision not null,
       synced_at timestamptz not null default now())`,
  );
}

/** Saves and deploys a processflow from a cities file into a table; answers the deployment id. */
export async function deployCitiesFlow(
  stack: BenchStack,
  input: {
    name: string;
    file: string;
    table: string;
    settings?: SyncSettingsChange;
    environment?: string;
  },
): Promise<string> {
  const environment = input.environment ?? ENVIRONMENT;
  const saved = await stack.api.post<{ name: string; version: number }>('/processflows', {
    name: input.name,
    description: `Cities of the world from ${input.file} into ${input.table}`,
    source: {
      name: 'Cities file',
      connector: 'file',
      config: { path: input.file },
      idField: 'cityId',
    },
    steps: [{ name: 'Map to table columns', type: 'map', expression: CITY_TO_ROW }],
    destination: {
      name: 'Cities table',
      connector: 'postgres',
      config: { connectionSecret: DESTINATION_SECRET, table: input.table, key: ['city_id'] },
    },
  });
  await stack.api.put(`/environments/${environment}/deployments/${saved.name}`, {
    version: saved.version,
    ...(input.settings && { settings: input.settings }),
  });
  return `${saved.name}@${environment}`;
}

export async function redeploy(
  stack: BenchStack,
  deploymentId: string,
  settings: SyncSettingsChange,
) {
  const name = deploymentId.split('@')[0];
  await stack.api.put(`/environments/${ENVIRONMENT}/deployments/${name}`, { settings });
}

/** Starts a main run and waits for its end; answers the execution as the API shows it. */
export async function runToEnd(
  stack: BenchStack,
  deploymentId: string,
  timeoutMs: number,
): Promise<ExecutionView> {
  await waitUntil(
    'an active environment',
    async () =>
      (await stack.api.get<{ active: boolean }>(`/environments/${ENVIRONMENT}`)).active
        ? true
        : undefined,
    120_000,
    500,
  );
  const started = await stack.api.post<ExecutionView>(
    `/deployments/${segment(deploymentId)}/executions`,
  );
  return waitForExecution(stack, started.id, timeoutMs);
}

export async function waitForExecution(stack: BenchStack, id: number, timeoutMs: number) {
  const execution = await waitUntil(
    `execution ${id}`,
    async () => {
      const current = await stack.api.get<ExecutionView>(`/executions/${id}`);
      return current.status === 'running' ? undefined : current;
    },
    timeoutMs,
    100,
  );
  if (execution.status !== 'completed') {
    throw new Error(`execution ${id} ended ${execution.status}: ${JSON.stringify(execution)}`);
  }
  return execution;
}

/** Wall time of an execution as its row records it (created to finished), in seconds. */
export function executionSeconds(execution: ExecutionView): number {
  return (Date.parse(execution.finishedAt!) - Date.parse(execution.startedAt)) / 1000;
}
