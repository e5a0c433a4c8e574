import { z } from 'zod';
import type { Environment, EnvironmentStatus } from '../../domain/environment';
import { slugSchema } from '../../domain/processflow-definition';
import {
  agentSchema,
  environmentStatusSchema,
  timestampSchema,
  toAgents,
  toIso,
} from './common-schemas';

export const environmentParamsSchema = z.object({ name: slugSchema });

export const environmentBodySchema = z.strictObject({
  description: z.string().max(2000).default(''),
});

export const environmentSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    createdAt: timestampSchema,
  })
  .meta({ id: 'Environment' });

export const environmentListSchema = z.object({ environments: z.array(environmentSchema) });

export const environmentDetailSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    createdAt: timestampSchema,
    active: z.boolean().describe('true when at least one agent polled the task queue recently'),
    taskQueue: z.string().describe('the Temporal task queue the agents poll'),
    agents: z.array(agentSchema),
    probeError: z
      .string()
      .optional()
      .describe('set when Temporal could not be asked: the status is unknown'),
  })
  .meta({ id: 'EnvironmentDetail' });

export function toEnvironment(environment: Environment): z.infer<typeof environmentSchema> {
  return {
    name: environment.name,
    description: environment.description,
    createdAt: toIso(environment.createdAt),
  };
}

export function toEnvironmentDetail(
  status: EnvironmentStatus,
): z.infer<typeof environmentDetailSchema> {
  return {
    ...toEnvironment(status.environment),
    active: status.active,
    taskQueue: status.taskQueue,
    agents: toAgents(status.agents),
    ...(status.probeError ? { probeError: status.probeError } : {}),
  };
}

/** The short status shown in the headers of Sync Info answers. */
export function toEnvironmentActivity(
  status: EnvironmentStatus,
): z.infer<typeof environmentStatusSchema> {
  return {
    name: status.environment.name,
    active: status.active,
    agents: toAgents(status.agents),
    ...(status.probeError ? { probeError: status.probeError } : {}),
  };
}
