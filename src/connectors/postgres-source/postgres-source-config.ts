import { z } from 'zod';
import { identifierSchema as identifier } from '../postgres-shared/identifier-schema';

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
