import type { ProcessflowDefinition } from '../../src/domain/processflow-definition';
import { SECRET_ENV_PREFIX } from '../../src/secrets';
import type { FakeApp } from '../connectors/fake-app/fake-app';
import type { ProcessflowHarness } from '../helpers/processflow-harness';
import { requiredEnv } from '../helpers/required-env';

/** The secret holding the fake application's token; its value is planted as a marker. */
export const APP_TOKEN_SECRET = 'FAULT_APP_TOKEN';

export const people = (count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => ({ id: from + i, name: `person ${from + i}` }));

/**
 * A flow from a JSON Lines file to the fake application, one POST per record. POST creates: a
 * write repeated without its Idempotency-Key would show up twice in `app.created`.
 */
export function toFakeApp(
  harness: ProcessflowHarness,
  app: FakeApp,
  name: string,
  file: string,
): ProcessflowDefinition {
  return {
    ...harness.definition(name, file, 'unused'),
    steps: [{ name: 'Map', type: 'map', expression: '{ "id": id, "name": name }' }],
    destination: {
      name: 'Fake app',
      connector: 'http',
      config: {
        baseUrl: app.url,
        auth: { type: 'bearer', tokenSecret: APP_TOKEN_SECRET },
        write: { method: 'POST', path: '/records' },
        timeoutMs: 2_000,
      },
    },
  };
}

/** The source ids the fake application holds, one entry per record it created. */
export const createdIds = (app: FakeApp) => app.created.map((body) => String(body.id));

/** What an agent in a child process needs to serve the harness's environment. */
export function workerEnv(harness: ProcessflowHarness, token: string, pageSize: number) {
  return {
    DATABASE_URL: harness.db.url,
    TEMPORAL_ADDRESS: requiredEnv('TEMPORAL_ADDRESS'),
    TEMPORAL_NAMESPACE: requiredEnv('TEMPORAL_NAMESPACE'),
    FILE_SOURCE_ROOT: harness.files,
    PAGE_SIZE: String(pageSize),
    [`${SECRET_ENV_PREFIX}${APP_TOKEN_SECRET}`]: token,
  };
}

/**
 * Waits for an execution to end: the ledger says so, then its workflow closes. The ledger is
 * marked by the run's last activity, a moment before the workflow completes; a worker stopped
 * in between would leave the workflow for the next worker. Polls; never a wall-clock bound.
 */
export async function untilFinished(harness: ProcessflowHarness, executionId: number) {
  for (;;) {
    const execution = await harness.services.executions.get(executionId);
    if (execution.status !== 'running') {
      await harness.server.client.workflow
        .getHandle(execution.workflowId)
        .result()
        .catch(() => undefined);
      return execution;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
