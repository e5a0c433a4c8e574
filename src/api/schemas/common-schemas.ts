import { z } from 'zod';
import { MAX_SOURCE_ID_BYTES } from '../../connectors/record-id';
import type { Agent } from '../../domain/environment';

export const timestampSchema = z.iso.datetime();

/**
 * A whole number written in digits, as it comes in a path or a query string, from `min` to
 * `max`. Refuses what `Number()` would also accept ("1.0", "1e3", "0x10", " 7", ""), so one
 * number has one spelling.
 */
export const wholeNumberSchema = (what: string, min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, `must be ${what} written in digits, e.g. 42`)
    .pipe(
      z.coerce
        .number<string>()
        .int()
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );

/** Page sizes: 1–1000 items, 100 by default. */
export const limitSchema = wholeNumberSchema('a whole number from 1 to 1000', 1, 1000)
  .default(100)
  .describe('items per page, 1–1000');

/** Ids made by the database: positive integers. */
export const numericIdSchema = wholeNumberSchema(
  'a positive whole number',
  1,
  Number.MAX_SAFE_INTEGER,
);

/** A source id as a path segment or a paging cursor: as long as a source id may be. */
export const sourceIdTextSchema = z.string().max(MAX_SOURCE_ID_BYTES);

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
