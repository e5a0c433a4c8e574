import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './project-paths';

const port = z.coerce.number().int().min(1).max(65535);

const environmentSchema = z.object({
  STACK_HOST: z.string().min(1).default('127.0.0.1'),
  /** Relative paths are taken from the repository root. */
  STACK_DATA_DIR: z.string().min(1).default('.data'),
  STACK_POSTGRES_PORT: port.default(54329),
  STACK_POSTGRES_DATABASE: z.string().min(1).default('processflow'),
  STACK_TEMPORAL_PORT: port.default(7233),
  STACK_TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
});

export type LocalStackConfig = {
  host: string;
  dataDir: string;
  postgres: { port: number; database: string };
  temporal: { port: number; uiPort: number; namespace: string; cliPath?: string };
  logLevel: string;
};

export class LocalStackConfigError extends Error {
  override name = 'LocalStackConfigError';
}

/** Reads the local stack's settings from the environment; throws with every problem listed. */
export function loadLocalStackConfig(env: NodeJS.ProcessEnv = process.env): LocalStackConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new LocalStackConfigError(
      `Invalid local stack settings:\n${z.prettifyError(parsed.error)}`,
    );
  }

  const vars = parsed.data;
  return {
    host: vars.STACK_HOST,
    dataDir: path.resolve(projectRoot(), vars.STACK_DATA_DIR),
    postgres: { port: vars.STACK_POSTGRES_PORT, database: vars.STACK_POSTGRES_DATABASE },
    temporal: {
      port: vars.STACK_TEMPORAL_PORT,
      uiPort: vars.STACK_TEMPORAL_UI_PORT,
      namespace: vars.TEMPORAL_NAMESPACE,
      cliPath: vars.TEMPORAL_CLI_PATH,
    },
    logLevel: vars.LOG_LEVEL,
  };
}
