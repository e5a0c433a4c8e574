import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from './local/project-paths';

const integer = (min: number, fallback: number) =>
  z.coerce.number().int().min(min).default(fallback);

const configSchema = z.object({
  DATABASE_URL: z
    .url()
    .optional()
    .describe('unset: the local stack (npm run stack / npm run demo)'),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: integer(0, 3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PAGE_SIZE: integer(1, 500).describe('records a main run fetches and processes per activity'),
  SNAPSHOT_MAX_PAYLOAD_BYTES: integer(256, 32_768),
  MAX_RECORD_BYTES: integer(1024, 1_048_576),
  FILE_SOURCE_ROOT: z.string().default(join(projectRoot(), '.data', 'files')),
  SECRETS_FILE: z.string().optional().describe('JSON object of secret name to value'),
  METRICS_HOST: z.string().default('127.0.0.1').describe('where a worker serves /metrics'),
  METRICS_PORT: integer(0, 9464).describe("a worker's /metrics port; 0 picks a free one"),
  SDK_METRICS_PORT: integer(1, 9465).describe("the Temporal SDK's own exporter, read by /metrics"),
  WORKER_SHUTDOWN_GRACE_SECONDS: integer(0, 30).describe(
    'how long a stopping worker lets running activities finish before it cancels them',
  ),
  SNAPSHOT_RETENTION_DAYS: integer(1, 30).describe('snapshots older than this are purged'),
  SNAPSHOT_PURGE_BATCH: integer(1, 5_000).describe('snapshots deleted per transaction'),
  SNAPSHOT_PURGE_EVERY_MINUTES: integer(1, 60).describe('how often the purge schedule runs'),
  STACK_HOST: z.string().default('127.0.0.1'),
  STACK_POSTGRES_PORT: integer(1, 54329),
  STACK_POSTGRES_DATABASE: z.string().default('processflow'),
  STACK_TEMPORAL_PORT: integer(1, 7233),
  DEMO_WEBHOOK_PORT: integer(0, 3001).describe("where npm run demo's webhook inbox listens"),
});

export interface Config {
  databaseUrl: string;
  temporal: { address: string; namespace: string };
  api: { host: string; port: number };
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  pageSize: number;
  snapshotMaxPayloadBytes: number;
  maxRecordBytes: number;
  fileSourceRoot: string;
  workerShutdownGraceMs: number;
  retention: { days: number; batchSize: number; everyMinutes: number };
  secretsFile?: string;
  /** Where a worker serves /metrics, and where the Temporal SDK exports its worker metrics. */
  metrics: { host: string; port: number; sdkPort: number };
  /** npm run demo keeps what webhooks receive here, on the API's host. */
  demoWebhookPort: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads the environment once; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    // Unset: the services of the local stack (npm run stack, npm run demo) on their defaults.
    databaseUrl:
      e.DATABASE_URL ??
      `postgres://postgres:postgres@${e.STACK_HOST}:${e.STACK_POSTGRES_PORT}/${e.STACK_POSTGRES_DATABASE}`,
    temporal: {
      address: e.TEMPORAL_ADDRESS ?? `${e.STACK_HOST}:${e.STACK_TEMPORAL_PORT}`,
      namespace: e.TEMPORAL_NAMESPACE,
    },
    api: { host: e.API_HOST, port: e.API_PORT },
    logLevel: e.LOG_LEVEL,
    pageSize: e.PAGE_SIZE,
    snapshotMaxPayloadBytes: e.SNAPSHOT_MAX_PAYLOAD_BYTES,
    maxRecordBytes: e.MAX_RECORD_BYTES,
    fileSourceRoot: e.FILE_SOURCE_ROOT,
    workerShutdownGraceMs: e.WORKER_SHUTDOWN_GRACE_SECONDS * 1000,
    retention: {
      days: e.SNAPSHOT_RETENTION_DAYS,
      batchSize: e.SNAPSHOT_PURGE_BATCH,
      everyMinutes: e.SNAPSHOT_PURGE_EVERY_MINUTES,
    },
    secretsFile: e.SECRETS_FILE,
    metrics: { host: e.METRICS_HOST, port: e.METRICS_PORT, sdkPort: e.SDK_METRICS_PORT },
    demoWebhookPort: e.DEMO_WEBHOOK_PORT,
  };
}
