import { z } from 'zod';
import type { Deployment } from '../../domain/deployment';
import { slugSchema } from '../../domain/processflow-definition';
import { syncSettingsChangeSchema, syncSettingsSchema } from '../../domain/sync-settings';
import type { DeployedProcessflow } from '../../services/deployment-service';
import type { DeploymentSchedule } from '../../services/schedule-service';
import { runScheduleSchemaOut } from './schedule-schemas';
import { environmentStatusSchema, timestampSchema, toIso, toIsoOrNull } from './common-schemas';

export const settingsSchema = syncSettingsSchema.meta({ id: 'SyncSettings' });

export const deploymentTargetParamsSchema = z.object({
  env: slugSchema.describe('environment name'),
  processflow: slugSchema.describe('processflow name'),
});

export const environmentNameParamsSchema = z.object({
  env: slugSchema.describe('environment name'),
});

export const deployBodySchema = z.strictObject({
  version: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('processflow version to deploy; default: the latest'),
  settings: syncSettingsChangeSchema
    .optional()
    .describe(
      'Sync & Retry settings to change; fields left out keep their current values on a ' +
        'redeploy, the defaults (manual mode) on a first deploy',
    ),
});

export const deploymentSchema = z
  .object({
    id: z.string().describe('<processflow>@<environment>'),
    processflowName: z.string(),
    environmentName: z.string(),
    version: z.number().int(),
    status: z.enum(['deployed', 'undeployed']),
    settings: settingsSchema,
    runSchedule: runScheduleSchemaOut
      .nullable()
      .describe('when main runs start by themselves; null: by hand only'),
    executionCount: z.number().int(),
    deployedAt: timestampSchema,
    updatedAt: timestampSchema,
    undeployedAt: timestampSchema.nullable(),
  })
  .meta({ id: 'Deployment' });

const statusCountsSchema = z.object({
  Success: z.number().int(),
  Failed: z.number().int(),
  Unprocessed: z.number().int(),
});

export const deployedProcessflowListSchema = z.object({
  environment: environmentStatusSchema,
  deployments: z.array(
    z.object({
      deploymentId: z.string(),
      processflowName: z.string(),
      description: z.string(),
      version: z.number().int(),
      status: z.enum(['deployed', 'undeployed']),
      deployedAt: timestampSchema,
      snapshotCount: z.number().int(),
      tries: z.number().int().describe('attempts on all records of the deployment'),
      counts: statusCountsSchema.describe('records per status'),
      schedule: z
        .object({
          description: z.string(),
          paused: z.boolean().nullable(),
          nextRunAt: timestampSchema.nullable().describe('null: paused, or Temporal unreachable'),
        })
        .nullable()
        .describe('the run schedule; null: runs start by hand only'),
    }),
  ),
});

export function toDeployment(deployment: Deployment): z.infer<typeof deploymentSchema> {
  return {
    id: deployment.id,
    processflowName: deployment.processflowName,
    environmentName: deployment.environmentName,
    version: deployment.version,
    status: deployment.status,
    settings: deployment.settings,
    runSchedule: deployment.runSchedule,
    executionCount: deployment.executionCount,
    deployedAt: toIso(deployment.deployedAt),
    updatedAt: toIso(deployment.updatedAt),
    undeployedAt: toIsoOrNull(deployment.undeployedAt),
  };
}

export function toDeployedProcessflow(
  deployed: DeployedProcessflow,
  schedule: DeploymentSchedule | undefined,
) {
  const { deployment } = deployed;
  return {
    deploymentId: deployment.id,
    processflowName: deployment.processflowName,
    description: deployed.description,
    version: deployment.version,
    status: deployment.status,
    deployedAt: toIso(deployment.deployedAt),
    snapshotCount: deployed.snapshotCount,
    tries: deployed.tries,
    counts: deployed.counts,
    schedule: schedule
      ? {
          description: schedule.description,
          paused: schedule.state?.paused ?? null,
          nextRunAt:
            schedule.state && !schedule.state.paused && schedule.state.nextRunTimes[0]
              ? toIso(schedule.state.nextRunTimes[0])
              : null,
        }
      : null,
  };
}
