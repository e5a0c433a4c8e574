import { z } from 'zod';
import { identifierSchema as identifier } from '../postgres-shared/identifier-schema';

export const postgresDestinationConfigSchema = z
  .strictObject({
    connectionSecret: z
      .string()
      .min(1)
      .describe('name of the secret (environment variable) holding the connection URL'),
    schema: identifier.default('public'),
    table: identifier,
    sourceIdColumn: identifier.optional().describe('column that receives the record source id'),
    key: z
      .array(identifier)
      .min(1)
      .optional()
      .describe('conflict columns of the upsert; default: sourceIdColumn'),
  })
  .refine((config) => config.key || config.sourceIdColumn, {
    message: 'set key or sourceIdColumn so that writes are idempotent upserts',
    path: ['key'],
  });

export type PostgresDestinationConfig = z.infer<typeof postgresDestinationConfigSchema>;
