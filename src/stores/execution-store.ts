import type { Knex } from 'knex';
import type { Execution, ExecutionTotals, PageProgress } from '../domain/execution';
import type { AttemptKind, ExecutionStatus } from '../domain/ledger';
import type { DeploymentStore } from './deployment-store';

interface ExecutionRow {
  id: string;
  deployment_id: string;
  seq: number;
  kind: AttemptKind;
  workflow_id: string;
  version: number;
  status: ExecutionStatus;
  trigger: string;
  records_fetched: number;
  records_succeeded: number;
  records_failed: number;
  pages: number;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
  slot_at: Date | null;
  schedule_action_id: string | null;
  since_mark: string | null;
  reached_mark: string | null;
  resume_cursor: string | null;
  last_page_ids: string[] | null;
}

const toExecution = (row: ExecutionRow): Execution => ({
  id: Number(row.id),
  deploymentId: row.deployment_id,
  seq: row.seq,
  kind: row.kind,
  workflowId: row.workflow_id,
  version: row.version,
  status: row.status,
  trigger: row.trigger,
  recordsFetched: row.records_fetched,
  recordsSucceeded: row.records_succeeded,
  recordsFailed: row.records_failed,
  pages: row.pages,
  error: row.error,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  sinceMark: row.since_mark,
  reachedMark: row.reached_mark,
  resumeCursor: row.resume_cursor,
  lastPageIds: row.last_page_ids ?? [],
});

const toTotals = (row: ExecutionRow): ExecutionTotals => ({
  fetched: row.records_fetched,
  succeeded: row.records_succeeded,
  failed: row.records_failed,
  pages: row.pages,
});

/** Another attempt of the same page activity committed this page first. */
export class PageAlreadyCommitted extends Error {
  constructor(executionId: number, pagesBefore: number) {
    super(
      `execution ${executionId} has moved past page ${pagesBefore + 1}: another attempt committed it`,
    );
    this.name = 'PageAlreadyCommitted';
  }
}

/** Workflow ids a person can read: execution/<deployment>/<n>. */
export function executionWorkflowId(deploymentId: string, seq: number): string {
  return `execution/${deploymentId}/${seq}`;
}

export class ExecutionStore {
  constructor(
    private readonly db: Knex,
    private readonly deployments: DeploymentStore,
  ) {}

  /** Creates the execution row with the deployment's next sequence number. */
  async create(
    input: {
      deploymentId: string;
      kind: AttemptKind;
      version: number;
      trigger: string;
      slotAt?: Date;
      /** The Temporal Schedule action (workflow id) that started a scheduled run. */
      scheduleActionId?: string;
      sinceMark?: string | null;
    },
    outer?: Knex.Transaction,
  ): Promise<Execution> {
    return (outer ?? this.db).transaction(async (trx) => {
      const seq = await this.deployments.nextExecutionSeq(trx, input.deploymentId);
      const [row] = await trx<ExecutionRow>('executions')
        .insert({
          deployment_id: input.deploymentId,
          seq,
          kind: input.kind,
          workflow_id: executionWorkflowId(input.deploymentId, seq),
          version: input.version,
          status: 'running',
          trigger: input.trigger,
          slot_at: input.slotAt ?? null,
          schedule_action_id: input.scheduleActionId ?? null,
          since_mark: input.sinceMark ?? null,
        })
        .returning('*');
      return toExecution(row);
    });
  }

  async get(id: number): Promise<Execution | undefined> {
    const row = await this.db<ExecutionRow>('executions')
      .where({ id: String(id) })
      .first();
    return row && toExecution(row);
  }

  /** The retry run of a deployment's slot, if that slot already has one. */
  async getRetryRun(trx: Knex, deploymentId: string, slotAt: Date): Promise<Execution | undefined> {
    const row = await trx<ExecutionRow>('executions')
      .where({ deployment_id: deploymentId, slot_at: slotAt })
      .first();
    return row && toExecution(row);
  }

  /** The run a schedule action already opened, if it did. */
  async getByScheduleAction(actionId: string): Promise<Execution | undefined> {
    const row = await this.db<ExecutionRow>('executions')
      .where({ schedule_action_id: actionId })
      .first();
    return row && toExecution(row);
  }

  async getBySeq(deploymentId: string, seq: number): Promise<Execution | undefined> {
    const row = await this.db<ExecutionRow>('executions')
      .where({ deployment_id: deploymentId, seq })
      .first();
    return row && toExecution(row);
  }

  /** A deployment's runs of one kind still marked running, oldest first. */
  async listRunning(deploymentId: string, kind: Execution['kind']): Promise<Execution[]> {
    const rows = await this.db<ExecutionRow>('executions')
      .where({ deployment_id: deploymentId, kind, status: 'running' })
      .orderBy('id');
    return rows.map(toExecution);
  }

  async listByDeployment(
    deploymentId: string,
    limit: number,
    beforeId?: number,
  ): Promise<Execution[]> {
    const query = this.db<ExecutionRow>('executions')
      .where({ deployment_id: deploymentId })
      .orderBy('id', 'desc')
      .limit(limit);
    if (beforeId !== undefined) query.where('id', '<', beforeId);
    return (await query).map(toExecution);
  }

  /**
   * Adds a committed page (or batch) to its run, in the transaction that commits its outcomes,
   * so a run's totals never miss or double a page. A main run's page also moves the run's
   * position, and only from where this attempt found it: a page another attempt committed
   * first is refused (and rolled back) rather than counted twice.
   */
  async advance(trx: Knex.Transaction, id: number, progress: PageProgress): Promise<void> {
    const { position } = progress;
    const query = trx('executions')
      .where({ id: String(id) })
      .update({
        records_fetched: trx.raw('records_fetched + ?', [progress.fetched]),
        records_succeeded: trx.raw('records_succeeded + ?', [progress.succeeded]),
        records_failed: trx.raw('records_failed + ?', [progress.failed]),
        pages: trx.raw('pages + 1'),
        ...(position && {
          resume_cursor: position.nextCursor,
          reached_mark: position.reachedMark,
          last_page_ids: JSON.stringify(position.sourceIds),
        }),
      });
    if (position) query.where({ pages: position.pagesBefore });
    const updated = await query;
    if (position && updated === 0) throw new PageAlreadyCommitted(id, position.pagesBefore);
  }

  /** The run's totals as its committed pages made them. */
  async totals(id: number): Promise<ExecutionTotals> {
    const row = await this.db<ExecutionRow>('executions')
      .where({ id: String(id) })
      .first();
    if (!row) throw new Error(`execution ${id} does not exist`);
    return toTotals(row);
  }

  /**
   * Ends a running execution (its totals are what its committed pages added); an execution
   * that already ended keeps its outcome. Answers whether this call ended it.
   */
  async finish(
    id: number,
    status: Exclude<ExecutionStatus, 'running'>,
    error?: string,
    extra: { reachedMark?: string | null; trx?: Knex.Transaction } = {},
  ): Promise<boolean> {
    const updated = await (extra.trx ?? this.db)('executions')
      .where({ id: String(id), status: 'running' })
      .update({
        status,
        error: error ?? null,
        ...(extra.reachedMark !== undefined && { reached_mark: extra.reachedMark }),
        finished_at: this.db.fn.now(),
      });
    return updated > 0;
  }
}
