import { type Actor, systemActor } from '../domain/access';
import type { DailyReport, ReportSettings } from '../domain/daily-report';
import { NotFoundError } from '../domain/errors';
import type { Stores } from '../stores/create-stores';
import type { ReportScheduleControl } from '../temporal/report-schedule';
import type { AuditService } from './audit-service';

/** Daily reports of environments: when they are made, where they go, and what they said. */
export class ReportService {
  constructor(
    private readonly stores: Pick<Stores, 'environments' | 'reports'>,
    private readonly control: ReportScheduleControl,
    private readonly audit: AuditService,
  ) {}

  /** Sets when the report is made and who receives it, and schedules it in Temporal. */
  async configure(
    environment: string,
    settings: ReportSettings,
    actor: Actor = systemActor('system'),
  ) {
    await this.environment(environment);
    await this.control.apply(environment, settings);
    await this.stores.reports.setSettings(environment, settings);
    await this.audit.record(actor, {
      action: 'report.configure',
      environment,
      target: environment,
      details: { at: settings.at, timezone: settings.timezone, webhooks: settings.webhooks.length },
    });
    return this.settings(environment);
  }

  async settings(environment: string): Promise<ReportSettings & { nextRunAt: Date | null }> {
    await this.environment(environment);
    const settings = await this.stores.reports.getSettings(environment);
    if (!settings) {
      throw new NotFoundError(
        `environment "${environment}" has no daily report: set one with PUT /environments/` +
          `${environment}/daily-report`,
      );
    }
    return { ...settings, nextRunAt: await this.control.nextRunAt(environment) };
  }

  /** Makes a report now, for the last 24 hours, and delivers it as the scheduled one would. */
  async runNow(environment: string, actor: Actor): Promise<void> {
    await this.settings(environment);
    await this.control.runNow(environment);
    await this.audit.record(actor, { action: 'report.run', environment, target: environment });
  }

  async list(environment: string, limit: number, beforeId?: number): Promise<DailyReport[]> {
    await this.environment(environment);
    return this.stores.reports.list(environment, limit, beforeId);
  }

  async get(id: number): Promise<DailyReport> {
    const report = await this.stores.reports.get(id);
    if (!report) throw new NotFoundError(`report ${id} does not exist`);
    return report;
  }

  private async environment(name: string) {
    const found = await this.stores.environments.get(name);
    if (!found) throw new NotFoundError(`environment "${name}" does not exist`);
    return found;
  }
}
