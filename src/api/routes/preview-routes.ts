import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { ProcessflowService } from '../../services/processflow-service';
import { InputError } from '../../domain/errors';
import { joinPath } from '../request-input';
import { RouteTable } from '../route-table';
import { definitionBodySchema } from '../schemas/processflow-schemas';

const previewBodySchema = z
  .strictObject({
    definition: definitionBodySchema,
    record: z.record(z.string(), z.unknown()).describe('a sample record, as the source gives it'),
  })
  .meta({ id: 'PreviewRequest' });

const previewNodeSchema = z.object({
  node: z.string(),
  kind: z.enum(['source', 'map', 'filter', 'destination']),
  output: z.unknown().optional(),
  skipped: z.boolean().optional(),
  error: z.string().optional(),
  ms: z.number(),
});

const previewSchema = z
  .object({
    sourceId: z.string().nullable(),
    outcome: z.enum(['written', 'skipped', 'failed']).describe('what a run would do'),
    error: z.string().optional().describe('names the step, the record and the expression'),
    errorNode: z.string().optional(),
    nodes: z.array(previewNodeSchema).describe("each node's output, up to where the record stops"),
  })
  .meta({ id: 'Preview' });

/** The mapping preview: a definition and a sample record in, each node's output back. */
export function createPreviewRouter(
  services: { processflows: ProcessflowService },
  registry: OpenAPIRegistry,
) {
  const routes = new RouteTable(registry);

  routes.add(
    {
      method: 'post',
      path: '/processflows/preview',
      tag: 'processflows',
      summary: "Run a sample record through a definition and answer each node's output",
      description:
        'Nothing is saved, read from the source or written to the destination. The destination ' +
        'node shows the record as it would be written.',
      body: previewBodySchema,
      responses: { 200: { description: 'the preview', schema: previewSchema } },
      access: { role: 'viewer' },
    },
    async ({ body }) => {
      const preview = await underDefinition(() =>
        services.processflows.preview(body.definition, body.record),
      );
      return { status: 200, body: preview };
    },
  );

  return routes.router;
}

/** The service names fields of the definition; in this body they sit under `definition`. */
async function underDefinition<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const issues = error.issues.map((issue) => ({
      ...issue,
      path: joinPath('body.definition', [issue.path]),
    }));
    throw new InputError(error.message, issues);
  }
}
