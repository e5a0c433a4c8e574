import type { Knex } from 'knex';
import type {
  DailyReport,
  ErrorCount,
  ReportFigures,
  ReportSettings,
} from '../domain/daily-report';

const TOP_ERRORS = 5;
const ERROR_TEXT = 300;

interface ReportRow {
  id: string;
  environment_name: string;
  period_start: Date;
  period_end: Date;
  figures: Pick<DailyReport, 'totals' | 'deployments'>;
  created_at: Date;
}

interface DeliveryRow {
  url: string;
  status: 'delivered' | 'failed';
  http_status: number | null;
  error: string | null;
}

const emptyFigures = (): ReportFigures => ({
  synced: 0,
  succeededOnRetry: 0,
  stillFailing: 0,
  topErrors: [],
});

/** Daily reports: their settings, their figures read from the ledger, and their deliveries. */
export class ReportStore {
  constructor(private readonly db: Knex) {}

  async getSettings(environment: string): Promise<ReportSettings | undefined> {
    const row = await this.db('report_settings').where({ environment_name: environment }).first();
    return row && { at: row.at, timezone: row.timezone, webhooks: row.webhooks };
  }

  async setSettings(environment: string, settings: ReportSettings): Promise<void> {
    await this.db('report_settings')
      .insert({
        environment_name: environment,
        at: settings.at,
        timezone: settings.timezone,
        webhooks: JSON.stringify(settings.webhooks),
        updated_at: this.db.fn.now(),
      })
      .onConflict('environment_name')
      .merge();
  }

  /**
   * The figures of an environment over [start, end): records written (from snapshots, so a
   * record written twice counts once), those written by a retry or resync, and records whose
   * last attempt in the period failed, with their most frequent errors.
   */
  async figures(environment: string, start: Date, end: Date) {
    const [written, failing] = await Promise.all([
      this.db('snapshots as s')
        .join('deployments as d', 'd.id', 's.deployment_id')
        .where('d.environment_name', environment)
        .where('s.status', 'Success')
        .where('s.finished_at', '>=', start)
        .where('s.finished_at', '<', end)
        .groupBy('s.deployment_id')
        .select(
          's.deployment_id',
          this.db.raw('count(distinct s.source_id)::int as synced'),
          this.db.raw(
            `count(distinct s.source_id) filter (where s.attempt_kind in ('retry', 'resync'))::int
             as on_retry`,
          ),
        ),
      this.db('records as r')
        .join('deployments as d', 'd.id', 'r.deployment_id')
        .where('d.environment_name', environment)
        .where('r.status', 'Failed')
        .where('r.last_attempt_at', '>=', start)
        .where('r.last_attempt_at', '<', end)
        .groupBy('r.deployment_id', 'r.last_error')
        .select('r.deployment_id', 'r.last_error', this.db.raw('count(*)::int as count')),
    ]);

    const byDeployment = new Map<string, ReportFigures>();
    const of = (id: string) =>
      byDeployment.get(id) ?? byDeployment.set(id, emptyFigures()).get(id)!;
    for (const row of written) {
      of(row.deployment_id).synced = row.synced;
      of(row.deployment_id).succeededOnRetry = row.on_retry;
    }
    const totalErrors = new Map<string, number>();
    for (const row of failing) {
      const error = String(row.last_error ?? 'no error recorded').slice(0, ERROR_TEXT);
      const figures = of(row.deployment_id);
      figures.stillFailing += row.count;
      figures.topErrors.push({ error, count: row.count });
      totalErrors.set(error, (totalErrors.get(error) ?? 0) + row.count);
    }

    const deployments = [...byDeployment.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([deploymentId, figures]) => ({
        deploymentId,
        ...figures,
        topErrors: top(figures.topErrors),
      }));
    const totals: ReportFigures = {
      synced: sum(deployments, 'synced'),
      succeededOnRetry: sum(deployments, 'succeededOnRetry'),
      stillFailing: sum(deployments, 'stillFailing'),
      topErrors: top([...totalErrors].map(([error, count]) => ({ error, count }))),
    };
    return { totals, deployments };
  }

  /** Saves a report once per environment and period end; answers its id either way. */
  async insert(input: {
    environment: string;
    periodStart: Date;
    periodEnd: Date;
    figures: Pick<DailyReport, 'totals' | 'deployments'>;
  }): Promise<number> {
    await this.db('daily_reports')
      .insert({
        environment_name: input.environment,
        period_start: input.periodStart,
        period_end: input.periodEnd,
        figures: JSON.stringify(input.figures),
      })
      .onConflict(['environment_name', 'period_end'])
      .ignore();
    const row = await this.db('daily_reports')
      .where({ environment_name: input.environment, period_end: input.periodEnd })
      .first('id');
    return Number(row.id);
  }

  async get(id: number): Promise<DailyReport | undefined> {
    const row = await this.db<ReportRow>('daily_reports')
      .where({ id: String(id) })
      .first();
    if (!row) return undefined;
    const deliveries: DeliveryRow[] = await this.db('report_deliveries')
      .where({ report_id: String(id) })
      .orderBy('url');
    return toReport(row, deliveries);
  }

  /** An environment's reports, newest first. */
  async list(environment: string, limit: number, beforeId?: number): Promise<DailyReport[]> {
    const query = this.db<ReportRow>('daily_reports')
      .where({ environment_name: environment })
      .orderBy('id', 'desc')
      .limit(limit);
    if (beforeId !== undefined) query.where('id', '<', beforeId);
    const rows = await query;
    const deliveries = await this.db('report_deliveries')
      .whereIn(
        'report_id',
        rows.map((r) => r.id),
      )
      .orderBy('url');
    return rows.map((row) =>
      toReport(
        row,
        deliveries.filter((d) => d.report_id === row.id),
      ),
    );
  }

  async recordDelivery(input: {
    reportId: number;
    url: string;
    status: 'delivered' | 'failed';
    httpStatus: number | null;
    error: string | null;
  }): Promise<void> {
    await this.db('report_deliveries')
      .insert({
        report_id: String(input.reportId),
        url: input.url,
        status: input.status,
        http_status: input.httpStatus,
        error: input.error,
        at: this.db.fn.now(),
      })
      .onConflict(['report_id', 'url'])
      .merge();
  }
}

function toReport(row: ReportRow, deliveries: DeliveryRow[]): DailyReport {
  return {
    id: Number(row.id),
    environment: row.environment_name,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    totals: row.figures.totals,
    deployments: row.figures.deployments,
    createdAt: row.created_at,
    deliveries: deliveries.map((d) => ({
      url: d.url,
      status: d.status,
      httpStatus: d.http_status,
      error: d.error,
    })),
  };
}

function top(errors: ErrorCount[]): ErrorCount[] {
  return [...errors]
    .sort((a, b) => b.count - a.count || (a.error < b.error ? -1 : 1))
    .slice(0, TOP_ERRORS);
}

function sum<T>(rows: T[], key: keyof T): number {
  return rows.reduce((total, row) => total + (row[key] as number), 0);
}
