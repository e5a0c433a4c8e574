import {
  type Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import type { Deployment } from '../domain/deployment';
import { taskQueueFor } from '../domain/environment';
import { catchupWindowMs, type RunSchedule, toScheduleSpec } from '../domain/run-schedule';
import { scheduledRun } from '../workflows/scheduled-run';
import {
  deploymentKey,
  environmentKey,
  processflowKey,
  runKindKey,
} from '../workflows/search-attributes';
import { runScheduleId, scheduledRunWorkflowId } from './workflow-ids';

/** What Temporal says about a deployment's schedule. */
export interface RunScheduleState {
  paused: boolean;
  note: string | null;
  nextRunTimes: Date[];
  /** Runs started, newest last: when each was due and the workflow that carries it. */
  recentRuns: { scheduledAt: Date; startedAt: Date; workflowId: string }[];
  /** Scheduled runs of this schedule still running. */
  running: string[];
  runsStarted: number;
  /** Times skipped because the previous run was still in progress. */
  skippedOverlap: number;
  /** Times missed for longer than the catch-up window (Temporal server down). */
  missedCatchupWindow: number;
}

/** Creates, changes and removes the Temporal Schedule of a deployment's main runs. */
export interface RunScheduleControl {
  /** Creates or updates the schedule (keeping its paused state), or deletes it for null. */
  apply(deployment: Deployment, schedule: RunSchedule | null): Promise<void>;
  describe(deploymentId: string): Promise<RunScheduleState | null>;
  pause(deploymentId: string, note: string): Promise<void>;
  resume(deploymentId: string, note: string): Promise<void>;
  /** Starts a run now through the schedule: skipped if one is still running. */
  trigger(deploymentId: string): Promise<void>;
}

export class TemporalRunScheduleControl implements RunScheduleControl {
  constructor(private readonly client: Client) {}

  async apply(deployment: Deployment, schedule: RunSchedule | null): Promise<void> {
    const handle = this.client.schedule.getHandle(runScheduleId(deployment.id));
    if (schedule === null) {
      await ignoreNotFound(handle.delete());
      return;
    }
    const options = scheduleOptionsOf(deployment, schedule);
    try {
      await this.client.schedule.create({ scheduleId: handle.scheduleId, ...options });
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await handle.update((previous) => ({ ...previous, ...options, state: previous.state }));
    }
  }

  async describe(deploymentId: string): Promise<RunScheduleState | null> {
    const handle = this.client.schedule.getHandle(runScheduleId(deploymentId));
    const found = await ignoreNotFound(handle.describe());
    if (!found) return null;
    const { info, state } = found;
    return {
      paused: state.paused,
      note: state.note ?? null,
      nextRunTimes: info.nextActionTimes,
      recentRuns: info.recentActions.map((action) => ({
        scheduledAt: action.scheduledAt,
        startedAt: action.takenAt,
        workflowId: action.action.workflow.workflowId,
      })),
      running: info.runningActions.map((action) => action.workflow.workflowId),
      runsStarted: info.numActionsTaken,
      skippedOverlap: info.numActionsSkippedOverlap,
      missedCatchupWindow: info.numActionsMissedCatchupWindow,
    };
  }

  async pause(deploymentId: string, note: string): Promise<void> {
    await this.client.schedule.getHandle(runScheduleId(deploymentId)).pause(note);
  }

  async resume(deploymentId: string, note: string): Promise<void> {
    await this.client.schedule.getHandle(runScheduleId(deploymentId)).unpause(note);
  }

  async trigger(deploymentId: string): Promise<void> {
    const handle = this.client.schedule.getHandle(runScheduleId(deploymentId));
    await handle.trigger(ScheduleOverlapPolicy.SKIP);
  }
}

function scheduleOptionsOf(deployment: Deployment, schedule: RunSchedule) {
  return {
    spec: toScheduleSpec(schedule),
    action: {
      type: 'startWorkflow' as const,
      workflowType: scheduledRun,
      // Temporal adds the time each run was due: scheduled-run/<deployment>-2026-12-03T06:00:00Z.
      workflowId: scheduledRunWorkflowId(deployment.id),
      taskQueue: taskQueueFor(deployment.environmentName),
      args: [{ deploymentId: deployment.id }] as [{ deploymentId: string }],
      typedSearchAttributes: [
        { key: processflowKey, value: deployment.processflowName },
        { key: deploymentKey, value: deployment.id },
        { key: environmentKey, value: deployment.environmentName },
        { key: runKindKey, value: 'scheduled' },
      ],
      staticSummary: `scheduled main run of ${deployment.id}`,
    },
    policies: {
      // A run still in progress makes the next one skip; after downtime the missed runs
      // inside the catch-up window start once, since all but the first find it running.
      overlap: ScheduleOverlapPolicy.SKIP,
      catchupWindow: catchupWindowMs(schedule),
      pauseOnFailure: false,
    },
  };
}

async function ignoreNotFound<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return null;
    throw error;
  }
}
