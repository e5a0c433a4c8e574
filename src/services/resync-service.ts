import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { type Actor, systemActor } from '../domain/access';
import { canonicalJson } from '../domain/canonical-json';
import { ConflictError, InputError, NotFoundError } from '../domain/errors';
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
    const earlier = await this.earlierRequest(deploymentId, input);
    if (earlier) return { resync: earlier, repeated: true };
    if (deployment.status !== 'deployed') {
      throw new ConflictError(
        `deployment "${deploymentId}" is undeployed: deploy it again to resync its records`,
      );
    }
    await this.environments.assertActive(deployment.environmentName);
    await this.assertSelectsSomething(deploymentId, input.selection);

    const id = randomUUID();
    const created = await this.db
      .transaction(async (trx) => {
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
      })
      .catch(async (error) => {
        // Two requests with one request id at the same moment: the one that lost the race
        // answers what the winner started.
        const raced = isUniqueViolation(error) && (await this.earlierRequest(deploymentId, input));
        if (raced) return raced;
        throw error;
      });
    if ('id' in created) return { resync: created, repeated: true };
    const { execution, total } = created;

    if (total === 0) {
      await this.stores.executions.finish(execution.id, 'completed');
    } else {
      try {
        await this.launcher.startResync(deployment, execution, id);
      } catch (error) {
        await this.stores.executions.finish(execution.id, 'failed', 'could not start the workflow');
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

  /** The resync an earlier request with this request id started, if any. */
  private async earlierRequest(
    deploymentId: string,
    input: { selection: ResyncSelection; requestId?: string },
  ): Promise<ResyncProgress | undefined> {
    if (!input.requestId) return undefined;
    const earlier = await this.stores.resyncs.findByRequestId(deploymentId, input.requestId);
    if (earlier && !sameSelection(earlier.selection, input.selection)) {
      throw new ConflictError(
        `request id "${input.requestId}" was used for a different selection (resync ${earlier.id}): ` +
          'use a new request id for a new resync',
      );
    }
    return earlier;
  }

  /** A resync that would take no record is refused, saying which field selected nothing. */
  private async assertSelectsSomething(deploymentId: string, selection: ResyncSelection) {
    if ((await this.stores.resyncs.count(deploymentId, selection)) > 0) return;
    const field = 'sourceIds' in selection ? 'sourceIds' : 'filter';
    throw new InputError('nothing to resync', [
      {
        path: field,
        message: `selects no Failed or Unprocessed record of deployment "${deploymentId}"`,
      },
    ]);
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

function sameSelection(a: ResyncSelection, b: ResyncSelection): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}
