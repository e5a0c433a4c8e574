import { z } from 'zod';

/** A PostgreSQL name that needs no quoting: tables, schemas, columns. */
export const identifierSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'use letters, digits and underscores, not starting with a digit',
  )
  .max(63);
