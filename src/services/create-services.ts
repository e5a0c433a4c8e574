import type { Client } from '@temporalio/client';
import type { ConnectorRegistry } from '../connectors/connector-registry';
import type { Logger } from '../logger';
import type { Stores } from '../stores/create-stores';
import { type AgentProbe, TemporalAgentProbe } from '../temporal/agent-probe';
import { type ExecutionLauncher, TemporalExecutionLauncher } from '../temporal/execution-launcher';
import { AuditService } from './audit-service';
import { DeploymentService } from './deployment-service';
import { EnvironmentService } from './environment-service';
import { ExecutionService } from './execution-service';
import { ProcessflowService } from './processflow-service';
import { ResyncService } from './resync-service';
import { ReadinessService, type TemporalPing, temporalPingOf } from './readiness-service';
import { ReportService } from './report-service';
import { ScheduleService } from './schedule-service';
import { SyncInfoService } from './sync-info-service';
import { TokenService } from './token-service';
import { type RetryControl, TemporalRetryControl } from '../temporal/retry-control';
import {
  type ReportScheduleControl,
  TemporalReportScheduleControl,
} from '../temporal/report-schedule';
import {
  type RunScheduleControl,
  TemporalRunScheduleControl,
} from '../temporal/run-schedule-control';
import type { Knex } from 'knex';

export type Services = ReturnType<typeof createServices>;

/** Wires the services; tests may pass their own probe or launcher. */
export function createServices(input: {
  stores: Stores;
  connectors: ConnectorRegistry;
  client: Client;
  log: Logger;
  db: Knex;
  probe?: AgentProbe;
  launcher?: ExecutionLauncher;
  retryControl?: RetryControl;
  scheduleControl?: RunScheduleControl;
  reportControl?: ReportScheduleControl;
  /** How readiness asks Temporal whether it answers; default: through the client. */
  temporalPing?: TemporalPing;
  /** The clock deployments are stamped with; tests on a time-skipping server pass theirs. */
  now?: () => Date;
}) {
  const { stores, log } = input;
  const probe = input.probe ?? new TemporalAgentProbe(input.client, stores.agents);
  const launcher = input.launcher ?? new TemporalExecutionLauncher(input.client);
  const retryControl = input.retryControl ?? new TemporalRetryControl(input.client);
  const scheduleControl = input.scheduleControl ?? new TemporalRunScheduleControl(input.client);

  const readiness = new ReadinessService(
    input.db,
    input.temporalPing ?? temporalPingOf(input.client),
  );
  const audit = new AuditService(stores.audit);
  const tokens = new TokenService(stores.tokens, audit, log);
  const environments = new EnvironmentService(stores.environments, probe, audit, log);
  const processflows = new ProcessflowService(stores.processflows, input.connectors, audit);
  const deployments = new DeploymentService(stores, retryControl, launcher, audit, input.now);
  const executions = new ExecutionService(stores, deployments, environments, launcher, audit, log);
  const syncInfo = new SyncInfoService(stores, deployments, environments, executions);
  const resyncs = new ResyncService(
    input.db,
    stores,
    deployments,
    environments,
    launcher,
    audit,
    log,
  );
  const schedules = new ScheduleService(stores, scheduleControl, audit, log);
  const reportControl = input.reportControl ?? new TemporalReportScheduleControl(input.client);
  const reports = new ReportService(stores, reportControl, audit);
  return {
    readiness,
    audit,
    tokens,
    environments,
    processflows,
    deployments,
    executions,
    syncInfo,
    resyncs,
    schedules,
    reports,
  };
}
