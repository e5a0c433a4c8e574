import type { Knex } from 'knex';
import { type Deployment, deploymentId } from '../domain/deployment';
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
  execution_count: number;
  deployed_at: Date;
  updated_at: Date;
  undeployed_at: Date | null;
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
  executionCount: row.execution_count,
  deployedAt: row.deployed_at,
  updatedAt: row.updated_at,
  undeployedAt: row.undeployed_at,
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
      })
      .onConflict('id')
      .merge([
        'version',
        'status',
        ...Object.keys(settingsColumns(input.settings)),
        'deployed_at',
        'updated_at',
        'undeployed_at',
      ])
      .returning<(DeploymentRow & { created: boolean })[]>([
        '*',
        this.db.raw('(xmax = 0) as created'),
      ]);
    return { deployment: toDeployment(row), created: row.created };
  }

  async undeploy(id: string, at: Date): Promise<Deployment | undefined> {
    const [row] = await this.db<DeploymentRow>('deployments')
      .where({ id })
      .update({ status: 'undeployed', undeployed_at: at, updated_at: at })
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

  /** Takes the next execution sequence number of a deployment. */
  async nextExecutionSeq(trx: Knex, id: string): Promise<number> {
    const [row] = await trx('deployments')
      .where({ id })
      .increment('execution_count', 1)
      .returning<{ execution_count: number }[]>('execution_count');
    return row.execution_count;
  }
}
