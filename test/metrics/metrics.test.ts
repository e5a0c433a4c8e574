import request from 'supertest';
import { createApp } from '../../src/api/create-app';
import { systemActor } from '../../src/domain/access';
import { createLogger } from '../../src/logger';
import { metricsRegistry } from '../../src/metrics/metrics-registry';
import { startMetricsServer } from '../../src/metrics/metrics-server';
import { metricsText } from '../../src/metrics/metrics-text';
import { MetricsStore } from '../../src/stores/metrics-store';
import { ProcessflowHarness } from '../helpers/processflow-harness';
import { requiredEnv } from '../helpers/required-env';

let harness: ProcessflowHarness;
let deploymentId: string;

beforeAll(async () => {
  harness = await ProcessflowHarness.start({ pageSize: 2 });
  await harness.db.knex.raw(
    'create table dest.gauges (id integer primary key, name text not null)',
  );
  await harness.writeJsonLines('gauges.jsonl', [
    { id: 1, name: 'one' },
    { id: 2, name: null },
    { id: 3, name: 'three' },
  ]);
  deploymentId = await harness.deploy(harness.definition('gauges', 'gauges.jsonl', 'gauges'));
});

afterAll(() => harness?.stop());

/** The value of one sample, or 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('worker metrics', () => {
  it('count attempts by kind and status, and connector calls, once a run has finished', async () => {
    const before = await metricsRegistry.metrics();
    await harness.run(deploymentId);
    const after = await metricsRegistry.metrics();
    const attempts = (text: string, status: string) =>
      sample(text, 'processflow_record_attempts_total', {
        deployment: deploymentId,
        kind: 'main',
        status,
      });

    expect(attempts(after, 'Success') - attempts(before, 'Success')).toBe(2);
    expect(attempts(after, 'Failed') - attempts(before, 'Failed')).toBe(1);
    const writes = (text: string) =>
      sample(text, 'processflow_connector_call_duration_seconds_count', {
        connector: 'postgres',
        operation: 'write',
        outcome: 'ok',
      });
    expect(writes(after)).toBeGreaterThan(writes(before));
    const lists = (text: string) =>
      sample(text, 'processflow_connector_records_total', { connector: 'file', operation: 'list' });
    expect(lists(after) - lists(before)).toBe(3);
  });

  it("include the Temporal SDK's own worker metrics", async () => {
    const text = await metricsText(metricsRegistry, [requiredEnv('TEST_SDK_METRICS_URL')]);

    expect(text).toMatch(/^temporal_workflow_task_execution_latency/m);
    expect(text).toMatch(/^temporal_activity_execution_latency/m);
  });
});

describe("an agent's /metrics server", () => {
  it('serves the registry and the SDK metrics together, and nothing else', async () => {
    const server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry: metricsRegistry,
      sdkMetricsUrl: requiredEnv('TEST_SDK_METRICS_URL'),
    });
    try {
      const metrics = await fetch(server.url);
      const other = await fetch(server.url.replace('/metrics', '/'));
      const text = await metrics.text();

      expect(metrics.status).toBe(200);
      expect(text).toMatch(/^processflow_record_attempts_total\{/m);
      expect(text).toMatch(/^temporal_worker_task_slots_available/m);
      expect(other.status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('GET /metrics on the API', () => {
  it('serves the ledger gauges in Prometheus format, matching the ledger', async () => {
    const store = new MetricsStore(harness.db.knex);
    const app = createApp({
      services: harness.services,
      log: createLogger('silent'),
      ledgerFigures: () => store.ledgerFigures(),
    });

    const { secret } = await harness.services.tokens.create(
      { name: 'scraper', role: 'viewer' },
      systemActor('test'),
    );

    const response = await request(app).get('/metrics').auth(secret, { type: 'bearer' });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const labels = { deployment: deploymentId, last_attempt_kind: 'main' };
    expect(sample(response.text, 'processflow_records', { ...labels, status: 'Success' })).toBe(2);
    expect(sample(response.text, 'processflow_records', { ...labels, status: 'Failed' })).toBe(1);
    expect(response.text).toContain('# TYPE processflow_runs_in_progress gauge');
    expect(response.text).toContain('# TYPE processflow_retry_lifecycles gauge');
    expect(response.text).toMatch(/^process_cpu_user_seconds_total /m);
  });
});
