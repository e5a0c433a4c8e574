import { environmentOfDeployment } from '../domain/access';
import { NotFoundError } from '../domain/errors';
import type { ExecutionService } from '../services/execution-service';
import type { ResyncService } from '../services/resync-service';

/** How routes find the environment a request reaches, for the token's scope. */
export const environmentParam =
  <K extends string>(key: K) =>
  (params: Record<K, string>) =>
    params[key];

export const deploymentEnvironment = (params: { id: string }) => environmentOfDeployment(params.id);

/** Unknown resources answer null: the route answers 404 itself. */
async function orNull<T>(find: () => Promise<T>): Promise<T | null> {
  try {
    return await find();
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

export const executionEnvironment =
  (executions: Pick<ExecutionService, 'get'>) => async (params: { id: number }) => {
    const execution = await orNull(() => executions.get(params.id));
    return execution && environmentOfDeployment(execution.deploymentId);
  };

export const resyncEnvironment =
  (resyncs: Pick<ResyncService, 'get'>) => async (params: { id: string }) => {
    const resync = await orNull(() => resyncs.get(params.id));
    return resync && environmentOfDeployment(resync.deploymentId);
  };
