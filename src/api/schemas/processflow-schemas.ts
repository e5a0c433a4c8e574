import { z } from 'zod';
import { processflowDefinitionSchema, slugSchema } from '../../domain/processflow-definition';
import type { ProcessflowSummary, ProcessflowVersion } from '../../stores/processflow-store';
import { timestampSchema, toIso, wholeNumberSchema } from './common-schemas';

export const definitionBodySchema = processflowDefinitionSchema.meta({
  id: 'ProcessflowDefinition',
});

export const processflowNameParamsSchema = z.object({ name: slugSchema });

export const processflowVersionParamsSchema = z.object({
  name: slugSchema,
  version: wholeNumberSchema('a version number', 1, 2_147_483_647),
});

export const savedVersionSchema = z
  .object({
    name: z.string(),
    version: z.number().int(),
    created: z.boolean().describe('false when the same definition was already saved'),
    createdAt: timestampSchema,
  })
  .meta({ id: 'SavedProcessflowVersion' });

export const processflowListSchema = z.object({
  processflows: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      latestVersion: z.number().int(),
      createdAt: timestampSchema,
      updatedAt: timestampSchema,
    }),
  ),
});

export const processflowVersionsSchema = z.object({
  name: z.string(),
  versions: z.array(
    z.object({
      version: z.number().int(),
      description: z.string(),
      hash: z.string().describe('sha256 of the canonical definition'),
      createdAt: timestampSchema,
    }),
  ),
});

export const processflowVersionSchema = z
  .object({
    name: z.string(),
    version: z.number().int(),
    hash: z.string(),
    createdAt: timestampSchema,
    definition: definitionBodySchema,
  })
  .meta({ id: 'ProcessflowVersion' });

export function toSavedVersion(saved: {
  version: ProcessflowVersion;
  created: boolean;
}): z.infer<typeof savedVersionSchema> {
  const { version } = saved;
  return {
    name: version.name,
    version: version.version,
    created: saved.created,
    createdAt: toIso(version.createdAt),
  };
}

export function toProcessflowList(
  summaries: ProcessflowSummary[],
): z.infer<typeof processflowListSchema> {
  return {
    processflows: summaries.map((summary) => ({
      name: summary.name,
      description: summary.description,
      latestVersion: summary.latestVersion,
      createdAt: toIso(summary.createdAt),
      updatedAt: toIso(summary.updatedAt),
    })),
  };
}

export function toProcessflowVersions(
  name: string,
  versions: ProcessflowVersion[],
): z.infer<typeof processflowVersionsSchema> {
  return {
    name,
    versions: versions.map((version) => ({
      version: version.version,
      description: version.definition.description,
      hash: version.hash,
      createdAt: toIso(version.createdAt),
    })),
  };
}

export function toProcessflowVersion(
  version: ProcessflowVersion,
): z.infer<typeof processflowVersionSchema> {
  return {
    name: version.name,
    version: version.version,
    hash: version.hash,
    createdAt: toIso(version.createdAt),
    definition: version.definition,
  };
}
