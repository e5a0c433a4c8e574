import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { type Actor, systemActor } from '../domain/access';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { ResyncProgress, ResyncSelection } from '../domain/resync';
import type { Logger } from '../logger';
import type { Stores } from '../stores/create-stores';
import type { ResyncItem } from '../stores/resync-store';
import type { ExecutionLauncher } from '../temporal/execution-launcher';
import type { AuditService } from './audit-service';
import type { DeploymentService } from './deployment-service';
import type { EnvironmentService } from './environment-service';

/** How many ids a preview lists among those a selection does not take. */
const NOT_TAKEN_SHOWN = 100;

/**
 * Manual resync: any Failed or Unprocessed records, at any time, also after automatic retries
 * are exhausted. A request answers at once; the records are re-fetched from the source and
 * attempted by a resync run, whose progress and per-record outcome can be read back.
 */
export class ResyncService {
  constructor(
    private readonly db: Knex,
    private readonly stores: Pick<Stores, 'resyncs' | 'executions'>,
    private readonly deployments: DeploymentService,
    private readonly environments: EnvironmentService,
    private readonly launcher: ExecutionLauncher,
    private readonly audit: AuditService,
    private readonly log: Logger,
  ) {}

  /** How many records a selection takes, without running anything. */
  async preview(deploymentId: string, selection: ResyncSelection) {
    await this.deployments.get(deploymentId);
    const matched = await this.stores.resyncs.count(deploymentId, selection);
    const notTaken =
      'sourceIds' in selection
        ? (await this.stores.resyncs.notTaken(deploymentId, selection.sourceIds)).slice(
            0,
            NOT_TAKEN_SHOWN,
          )
        : [];
    return { matched, notTaken };
  }

  /**
   * Starts a resync. A request id already used for this deployment answers the resync it
   * started then, so a client that repeats a request after a timeout runs it once.
   */
  async start(
    deploymentId: string,
    input: { selection: ResyncSelection; requestId?: string; requestedBy?: string },
    actor: Actor = systemActor(input.requestedBy ?? 'system'),
  ): Promise<{ resync: ResyncProgress; repeated: boolean }> {
    const deployment = await this.deployments.get(deploymentId);
    if (input.requestId) {
      const earlier = await this.stores.resyncs.findByRequestId(deploymentId, input.requestId);
      if (earlier) return { resync: earlier, repeated: true };
    }
    if (deployment.status !== 'deployed') {
      throw new ConflictError(
        `deployment "${deploymentId}" is undeployed: deploy it again to resync its records`,
      );
    }
    await this.environments.assertActive(deployment.environmentName);

    const id = randomUUID();
    const { execution, total } = await this.db.transaction(async (trx) => {
      const created = await this.stores.executions.create(
        {
          deploymentId,
          kind: 'resync',
          version: deployment.version,
          trigger: input.requestedBy ?? 'api',
        },
        trx,
      );
      const count = await this.stores.resyncs.create(trx, {
        id,
        deploymentId,
        requestId: input.requestId ?? null,
        selection: input.selection,
        requestedBy: input.requestedBy ?? null,
        executionId: created.id,
      });
      return { execution: created, total: count };
    });

    const totals = { fetched: 0, succeeded: 0, failed: 0, pages: 0 };
    if (total === 0) {
      await this.stores.executions.finish(execution.id, 'completed', totals);
    } else {
      try {
        await this.launcher.startResync(deployment, execution, id);
      } catch (error) {
        await this.stores.executions.finish(
          execution.id,
          'failed',
          totals,
          'could not start the workflow',
        );
        throw error;
      }
    }
    this.log.info(
      { deploymentId, resyncId: id, executionId: execution.id, total },
      'resync started',
    );
    await this.audit.record(actor, {
      action: 'resync.start',
      environment: deployment.environmentName,
      target: deploymentId,
      details: { resyncId: id, executionId: execution.id, total, selection: input.selection },
    });
    return { resync: await this.get(id), repeated: false };
  }

  async get(resyncId: string): Promise<ResyncProgress> {
    const resync = await this.stores.resyncs.get(resyncId);
    if (!resync) throw new NotFoundError(`resync ${resyncId} does not exist`);
    return resync;
  }

  async items(
    resyncId: string,
    filter: { status?: ResyncItem['status']; after?: string; limit: number },
  ): Promise<{ items: ResyncItem[]; nextAfter: string | null }> {
    await this.get(resyncId);
    const found = await this.stores.resyncs.items(resyncId, { ...filter, limit: filter.limit + 1 });
    const page = found.slice(0, filter.limit);
    return {
      items: page,
      nextAfter: found.length > filter.limit ? page[page.length - 1].sourceId : null,
    };
  }
}
