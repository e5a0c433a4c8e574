import type { Knex } from 'knex';
import { type Deployment, deploymentId } from '../domain/deployment';
import type { RunSchedule } from '../domain/run-schedule';
import type { SyncSettings } from '../domain/sync-settings';

interface DeploymentRow {
  id: string;
  processflow_name: string;
  environment_name: string;
  version: number;
  status: Deployment['status'];
  retry_mode: SyncSettings['mode'];
  retry_frequency: SyncSettings['frequency'];
  retry_daily_at: string | null;
  retry_interval_hours: number;
  retry_time_lapse_minutes: number;
  retry_batch_size: number;
  timezone: string;
  run_schedule: RunSchedule | null;
  execution_count: number;
  deployed_at: Date;
  updated_at: Date;
  undeployed_at: Date | null;
  retry_anchor_at: Date;
}

const toDeployment = (row: DeploymentRow): Deployment => ({
  id: row.id,
  processflowName: row.processflow_name,
  environmentName: row.environment_name,
  version: row.version,
  status: row.status,
  settings: {
    mode: row.retry_mode,
    frequency: row.retry_frequency,
    ...(row.retry_daily_at ? { retryDailyAt: row.retry_daily_at } : {}),
    interval: row.retry_interval_hours,
    timeLapse: row.retry_time_lapse_minutes,
    batchSize: row.retry_batch_size,
    timezone: row.timezone,
  },
  runSchedule: row.run_schedule,
  executionCount: row.execution_count,
  deployedAt: row.deployed_at,
  updatedAt: row.updated_at,
  undeployedAt: row.undeployed_at,
  retryAnchorAt: row.retry_anchor_at,
});

const settingsColumns = (settings: SyncSettings) => ({
  retry_mode: settings.mode,
  retry_frequency: settings.frequency,
  retry_daily_at: settings.retryDailyAt ?? null,
  retry_interval_hours: settings.interval,
  retry_time_lapse_minutes: settings.timeLapse,
  retry_batch_size: settings.batchSize,
  timezone: settings.timezone,
});

export class DeploymentStore {
  constructor(private readonly db: Knex) {}

  /** Deploys or redeploys: pins the version, applies the settings, marks it deployed now. */
  async deploy(input: {
    processflowName: string;
    environmentName: string;
    version: number;
    settings: SyncSettings;
    at: Date;
  }): Promise<{ deployment: Deployment; created: boolean }> {
    const id = deploymentId(input.processflowName, input.environmentName);
    const [row] = await this.db('deployments')
      .insert({
        id,
        processflow_name: input.processflowName,
        environment_name: input.environmentName,
        version: input.version,
        status: 'deployed',
        ...settingsColumns(input.settings),
        deployed_at: input.at,
        updated_at: input.at,
        undeployed_at: null,
        retry_anchor_at: input.at,
      })
      .onConflict('id')
      .merge({
        version: input.version,
        status: 'deployed',
        ...settingsColumns(input.settings),
        deployed_at: input.at,
        updated_at: input.at,
        undeployed_at: null,
        // The slots move only when the retry schedule changes, or retries start again.
        retry_anchor_at: this.db.raw(
          `case when deployments.status <> 'deployed' or deployments.retry_mode <> 'auto'
             or (deployments.retry_frequency, deployments.retry_daily_at,
                 deployments.retry_interval_hours, deployments.timezone)
                is distinct from (excluded.retry_frequency, excluded.retry_daily_at,
                 excluded.retry_interval_hours, excluded.timezone)
           then excluded.retry_anchor_at else deployments.retry_anchor_at end`,
        ),
      })
      .returning<(DeploymentRow & { created: boolean })[]>([
        '*',
        this.db.raw('(xmax = 0) as created'),
      ]);
    return { deployment: toDeployment(row), created: row.created };
  }

  /** Undeploys; undeploying again keeps the time of the first undeploy. */
  async undeploy(id: string, at: Date): Promise<Deployment | undefined> {
    const [row] = await this.db<DeploymentRow>('deployments')
      .where({ id })
      .update({
        status: 'undeployed',
        undeployed_at: this.db.raw('coalesce(undeployed_at, ?)', [at]),
        updated_at: at,
      })
      .returning('*');
    return row && toDeployment(row);
  }

  async get(id: string): Promise<Deployment | undefined> {
    const row = await this.db<DeploymentRow>('deployments').where({ id }).first();
    return row && toDeployment(row);
  }

  async listByEnvironment(environmentName: string): Promise<Deployment[]> {
    const rows = await this.db<DeploymentRow>('deployments')
      .where({ environment_name: environmentName })
      .orderBy('processflow_name');
    return rows.map(toDeployment);
  }

  /** Sets or clears the run schedule; answers the deployment, if it exists. */
  async setRunSchedule(id: string, schedule: RunSchedule | null): Promise<Deployment | undefined> {
    const [row] = await this.db<DeploymentRow>('deployments')
      .where({ id })
      .update({ run_schedule: schedule === null ? null : (JSON.stringify(schedule) as never) })
      .returning('*');
    return row && toDeployment(row);
  }

  /** Deployments of an environment that have a run schedule. */
  async listScheduled(environmentName: string): Promise<Deployment[]> {
    const rows = await this.db<DeploymentRow>('deployments')
      .where({ environment_name: environmentName })
      .whereNotNull('run_schedule');
    return rows.map(toDeployment);
  }

  /** Takes the next execution sequence number of a deployment. */
  async nextExecutionSeq(trx: Knex, id: string): Promise<number> {
    const [row] = await trx('deployments')
      .where({ id })
      .increment('execution_count', 1)
      .returning<{ execution_count: number }[]>('execution_count');
    return row.execution_count;
  }
}
