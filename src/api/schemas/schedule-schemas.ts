import { z } from 'zod';
import { runScheduleSchema } from '../../domain/run-schedule';
import type { DeploymentSchedule } from '../../services/schedule-service';
import { timestampSchema, toIso } from './common-schemas';

export const runScheduleBodySchema = runScheduleSchema.meta({ id: 'RunScheduleInput' });

export const scheduleNoteBodySchema = z.strictObject({
  note: z.string().max(500).optional().describe('why, shown with the schedule'),
});

export const runScheduleSchemaOut = z
  .object({
    everyMinutes: z.number().int().optional(),
    everyHours: z.number().int().optional(),
    cron: z.string().optional(),
    timezone: z.string(),
  })
  .meta({ id: 'RunSchedule' });

export const deploymentScheduleSchema = z
  .object({
    deploymentId: z.string(),
    schedule: runScheduleSchemaOut,
    description: z.string().describe('the schedule in words'),
    state: z
      .object({
        paused: z.boolean(),
        note: z.string().nullable(),
        nextRunTimes: z.array(timestampSchema).describe('the next few times a run is due'),
        recentRuns: z.array(
          z.object({
            scheduledAt: timestampSchema,
            startedAt: timestampSchema,
            workflowId: z.string().describe('the scheduled-run workflow; its child is the run'),
          }),
        ),
        running: z.array(z.string()).describe('scheduled-run workflows still running'),
        runsStarted: z.number().int(),
        skippedOverlap: z
          .number()
          .int()
          .describe('runs skipped because the previous one was still in progress'),
        missedCatchupWindow: z
          .number()
          .int()
          .describe('runs missed for longer than the catch-up window'),
      })
      .nullable()
      .describe("Temporal's view of the schedule; null while Temporal cannot be reached"),
  })
  .meta({ id: 'DeploymentSchedule' });

export function toDeploymentSchedule(
  found: DeploymentSchedule,
): z.infer<typeof deploymentScheduleSchema> {
  const { state } = found;
  return {
    deploymentId: found.deploymentId,
    schedule: found.schedule,
    description: found.description,
    state: state && {
      paused: state.paused,
      note: state.note,
      nextRunTimes: state.nextRunTimes.map(toIso),
      recentRuns: state.recentRuns.map((run) => ({
        scheduledAt: toIso(run.scheduledAt),
        startedAt: toIso(run.startedAt),
        workflowId: run.workflowId,
      })),
      running: state.running,
      runsStarted: state.runsStarted,
      skippedOverlap: state.skippedOverlap,
      missedCatchupWindow: state.missedCatchupWindow,
    },
  };
}
