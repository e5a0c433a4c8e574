import { z } from 'zod';

/** Names that appear in ids and URLs: lower-case letters, digits and dashes. */
export const slugSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'use lower-case letters, digits and dashes');

const nodeNameSchema = z.string().trim().min(1).max(100);

const sourceNodeSchema = z.strictObject({
  name: nodeNameSchema.describe('shown as Node Name in Sync Info'),
  connector: z.string().min(1),
  config: z.record(z.string(), z.unknown()).default({}),
  idField: z
    .string()
    .min(1)
    .describe('field holding the record id; dots reach into nested objects (a.b.c)'),
});

const mapStepSchema = z.strictObject({
  name: nodeNameSchema,
  type: z.literal('map'),
  expression: z.string().min(1).describe('JSONata expression; its result is the new record'),
});

const filterStepSchema = z.strictObject({
  name: nodeNameSchema,
  type: z.literal('filter'),
  expression: z
    .string()
    .min(1)
    .describe('JSONata expression; a record for which it is not true is skipped'),
});

export const stepSchema = z.discriminatedUnion('type', [mapStepSchema, filterStepSchema]);

const destinationNodeSchema = z.strictObject({
  name: nodeNameSchema,
  connector: z.string().min(1),
  config: z.record(z.string(), z.unknown()).default({}),
});

export const processflowDefinitionSchema = z
  .strictObject({
    name: slugSchema,
    description: z.string().max(2000).default(''),
    source: sourceNodeSchema,
    steps: z.array(stepSchema).max(50).default([]),
    destination: destinationNodeSchema,
    sensitiveFields: z
      .array(z.string().trim().min(1).max(200))
      .max(100)
      .optional()
      .describe(
        'fields masked in snapshots, by key ("email") or last keys ("card.number"), wherever ' +
          'they appear in a record, a step output or a destination request or answer',
      ),
  })
  .superRefine((definition, ctx) => {
    const names = [definition.source.name, ...definition.steps.map((s) => s.name)];
    names.push(definition.destination.name);
    const seen = new Set<string>();
    names.forEach((name, index) => {
      if (seen.has(name)) {
        const path =
          index === 0
            ? ['source', 'name']
            : index > definition.steps.length
              ? ['destination', 'name']
              : ['steps', index - 1, 'name'];
        ctx.addIssue({ code: 'custom', path, message: `node name "${name}" is used twice` });
      }
      seen.add(name);
    });
  });

export type ProcessflowDefinition = z.infer<typeof processflowDefinitionSchema>;
export type Step = z.infer<typeof stepSchema>;
