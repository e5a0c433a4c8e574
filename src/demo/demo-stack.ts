import type { Logger } from '../logger';
import { startLocalStack, StackAlreadyRunningError } from '../local/local-stack';
import { loadLocalStackConfig } from '../local/local-stack-config';
import { searchAttributeKeys } from '../workflows/search-attributes';

export interface DemoServices {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl: string | null;
  stop(): Promise<void>;
}

/**
 * Postgres and Temporal for the demo: the ones DATABASE_URL and TEMPORAL_ADDRESS name, else a
 * local stack already running (npm run stack), else a local stack started here.
 */
export async function startDemoServices(
  configured: { databaseUrl: string; temporalAddress: string; external: boolean },
  log: Logger,
): Promise<DemoServices> {
  const stackConfig = loadLocalStackConfig();
  const uiUrl = `http://${stackConfig.host}:${stackConfig.temporal.uiPort}`;
  const keep = { ...configured, stop: async () => {} };
  if (configured.external) return { ...keep, temporalUiUrl: null };

  try {
    const stack = await startLocalStack(stackConfig, {
      searchAttributes: searchAttributeKeys,
      logger: log,
    });
    return {
      databaseUrl: stack.databaseUrl,
      temporalAddress: stack.temporalAddress,
      temporalUiUrl: stack.temporalUiUrl || null,
      stop: () => stack.stop(),
    };
  } catch (error) {
    if (!(error instanceof StackAlreadyRunningError)) throw error;
    log.info({ ports: error.servedPorts }, 'using the local stack that is already running');
    return { ...keep, temporalUiUrl: uiUrl };
  }
}
