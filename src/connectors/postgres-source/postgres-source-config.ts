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
  updatedColumn: identifier
    .optional()
    .describe(
      'a timestamp, date or integer column that grows whenever a row changes (updated_at, a ' +
        'version): main runs then fetch only rows changed since the last completed run',
    ),
});

export type PostgresSourceConfig = z.infer<typeof postgresSourceConfigSchema>;
