import { z } from 'zod';

const identifier = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'use letters, digits and underscores, not starting with a digit',
  )
  .max(63);

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
