import { z } from 'zod';

export const problemDetailsSchema = z
  .object({
    type: z.string().describe('stable identifier of the kind of problem'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().describe('what went wrong and what to do next'),
    errors: z
      .array(
        z.object({
          path: z.string().describe('the field: body.settings.interval, query.limit, params.id'),
          message: z.string(),
        }),
      )
      .optional(),
    errorId: z.string().describe('the request id; the server log has the same id'),
  })
  .meta({ id: 'ProblemDetails' });
