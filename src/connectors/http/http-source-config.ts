import { z } from 'zod';
import { jsonPathSchema } from '../json-path';
import { httpConnectionShape, urlTemplateSchema } from './http-config';

const param = z.string().regex(/^[A-Za-z0-9_.\-[\]]+$/, 'a query parameter name');

/** The four ways APIs hand out pages. docs/connectors.md says what each can guarantee. */
export const paginationSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('page'),
    pageParam: param.default('page'),
    sizeParam: param.default('per_page'),
    firstPage: z.number().int().min(0).default(1),
  }),
  z.strictObject({
    type: z.literal('offset'),
    offsetParam: param.default('offset'),
    limitParam: param.default('limit'),
    maxRestarts: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(2)
      .describe('times a run starts the list over when records vanish ahead of the cursor'),
  }),
  z.strictObject({
    type: z.literal('cursor'),
    cursorParam: param.default('cursor'),
    cursorPath: jsonPathSchema.describe('where the answer holds the next cursor'),
    sizeParam: param.optional(),
  }),
  z.strictObject({
    type: z.literal('link'),
    sizeParam: param.optional(),
    rel: z.string().default('next'),
  }),
]);

export type Pagination = z.infer<typeof paginationSchema>;

export const httpSourceConfigSchema = z.strictObject({
  ...httpConnectionShape,
  list: z.strictObject({
    path: urlTemplateSchema.describe('path of the list, e.g. /contacts'),
    query: z.record(z.string(), z.string()).default({}).describe('fixed query parameters'),
    recordsPath: jsonPathSchema.default('$').describe('where the answer holds the records array'),
    pagination: paginationSchema,
    since: z
      .strictObject({
        param: param.describe('query parameter that asks for records changed after a mark'),
        markPath: jsonPathSchema.describe(
          'where a record holds its change mark (e.g. $.updated_at): ISO 8601 in UTC, or an integer',
        ),
      })
      .optional()
      .describe('incremental runs: main runs then fetch only records changed since the last one'),
  }),
  get: z
    .strictObject({
      path: urlTemplateSchema.describe('path of one record, e.g. /contacts/{id}'),
      recordPath: jsonPathSchema.default('$'),
    })
    .optional()
    .describe('how to fetch one record again (resync); without it, records are found by listing'),
});

export type HttpSourceConfig = z.infer<typeof httpSourceConfigSchema>;
