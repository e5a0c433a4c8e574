import { z } from 'zod';

const identifier = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'use letters, digits and underscores, not starting with a digit',
  )
  .max(63);

export const postgresSourceConfigSchema = z.strictObject({
  connectionSecret: z
    .string()
    .min(1)
    .describe('name of the secret (environment variable) holding the connection URL'),
  schema: identifier.default('public'),
  table: identifier.describe('a table or a view'),
  keyColumn: identifier
    .optional()
    .describe('unique, non-null column to page by; default: the definition idField'),
});

export type PostgresSourceConfig = z.infer<typeof postgresSourceConfigSchema>;
