import { z } from 'zod';
import type { Agent } from '../../domain/environment';

export const timestampSchema = z.iso.datetime();

/** Page sizes: 1–1000 items, 100 by default. */
export const limitSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(1000)
  .default(100)
  .describe('items per page, 1–1000');

/** Ids made by the database: positive integers. */
export const numericIdSchema = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const deploymentIdParamsSchema = z.object({
  id: z.string().min(1).max(200).describe('deployment id: <processflow>@<environment>'),
});

export const agentSchema = z.object({
  identity: z.string(),
  lastSeenAt: timestampSchema,
});

export const environmentStatusSchema = z
  .object({
    name: z.string(),
    active: z.boolean().describe('true when at least one agent polled recently'),
    agents: z.array(agentSchema),
    probeError: z
      .string()
      .optional()
      .describe('set when Temporal could not be asked: the status is unknown'),
  })
  .meta({ id: 'EnvironmentActivity' });

export const toIso = (date: Date) => date.toISOString();
export const toIsoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

export const toAgents = (agents: Agent[]) =>
  agents.map((agent) => ({ identity: agent.identity, lastSeenAt: toIso(agent.lastSeenAt) }));
