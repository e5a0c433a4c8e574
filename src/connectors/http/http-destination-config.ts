import { z } from 'zod';
import { jsonPathSchema } from '../json-path';
import { httpConnectionShape, urlTemplateSchema } from './http-config';

/** How a bulk answer's results are paired with the items sent. */
const bulkMatchSchema = z.discriminatedUnion('by', [
  z.strictObject({ by: z.literal('position') }).describe('the nth result is the nth item'),
  z.strictObject({
    by: z.literal('field'),
    resultField: z.string().min(1).describe('field of a result naming its item, e.g. id'),
    itemField: z
      .string()
      .min(1)
      .optional()
      .describe('field of the written record it equals; default: the source id'),
  }),
]);

export const bulkWriteSchema = z.strictObject({
  path: urlTemplateSchema.describe('e.g. /contacts/bulk'),
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  itemsField: z
    .string()
    .min(1)
    .optional()
    .describe('send {"<itemsField>": [...]}; default: the items array itself'),
  maxItems: z.number().int().min(1).max(10_000).default(100),
  resultsPath: jsonPathSchema.describe('where the answer holds one result per item'),
  match: bulkMatchSchema.default({ by: 'position' }),
  errorField: z
    .string()
    .min(1)
    .default('error')
    .describe('a result with a value here was rejected; the value is the reason'),
  statusField: z.string().min(1).optional().describe('field of a result holding its status'),
  okStatuses: z
    .array(z.union([z.string(), z.number()]))
    .optional()
    .describe('values of statusField that mean accepted'),
});

export type BulkWrite = z.infer<typeof bulkWriteSchema>;

export const httpDestinationConfigSchema = z
  .strictObject({
    ...httpConnectionShape,
    write: z
      .strictObject({
        method: z.enum(['POST', 'PUT', 'PATCH']),
        path: urlTemplateSchema.describe('e.g. /contacts/{id} for PUT, /contacts for POST'),
      })
      .optional()
      .describe('one request per record'),
    bulk: bulkWriteSchema.optional().describe('one request per batch, with a result per item'),
    maxErrorBodyChars: z.number().int().min(0).max(100_000).default(2_000),
  })
  .refine((config) => (config.write === undefined) !== (config.bulk === undefined), {
    message: 'set exactly one of write (one request per record) or bulk',
    path: ['write'],
  });

export type HttpDestinationConfig = z.infer<typeof httpDestinationConfigSchema>;
