import { Context } from '@temporalio/activity';
import type { ActivityDeps } from './activity-deps';

export interface ScheduledRunOpened {
  executionId: number;
  workflowId: string;
  seq: number;
  processflowName: string;
  environmentName: string;
}

export function createScheduleActivities(deps: ActivityDeps) {
  return {
    /**
     * Creates the execution of one schedule action, or finds the one it already created. An
     * undeployed deployment runs nothing; an incremental source lists changes since its mark.
     */
    async openScheduledRun(input: {
      deploymentId: string;
      actionId: string;
    }): Promise<ScheduledRunOpened | null> {
      const log = Context.current().log;
      const deployment = await deps.deployments.get(input.deploymentId);
      if (!deployment || deployment.status !== 'deployed') {
        log.warn('scheduled run skipped: the deployment is not deployed', { ...input });
        return null;
      }
      const opened = (execution: { id: number; workflowId: string; seq: number }) => ({
        executionId: execution.id,
        workflowId: execution.workflowId,
        seq: execution.seq,
        processflowName: deployment.processflowName,
        environmentName: deployment.environmentName,
      });

      const existing = await deps.executions.getByScheduleAction(input.actionId);
      if (existing) return opened(existing);

      const version = await deps.processflows.getVersion(
        deployment.processflowName,
        deployment.version,
      );
      const sinceMark = version
        ? await deps.sourceMarks.markFor(deployment.id, version.definition.source)
        : null;
      const execution = await deps.executions.create({
        deploymentId: deployment.id,
        kind: 'main',
        version: deployment.version,
        trigger: 'schedule',
        scheduleActionId: input.actionId,
        sinceMark,
      });
      log.info('scheduled run opened', {
        deploymentId: deployment.id,
        executionId: execution.id,
        workflowId: execution.workflowId,
      });
      return opened(execution);
    },
  };
}
