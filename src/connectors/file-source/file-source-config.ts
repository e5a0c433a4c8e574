import { z } from 'zod';

export const fileSourceConfigSchema = z.strictObject({
  path: z
    .string()
    .min(1)
    .refine(
      (path) => !path.startsWith('/') && !path.split(/[\\/]/).includes('..'),
      'use a path relative to the file source root, without ".." segments',
    )
    .describe('file path, relative to the file source root'),
  format: z.enum(['csv', 'jsonl']).optional().describe('default: from the file extension'),
  delimiter: z.string().length(1).default(','),
  updatedField: z
    .string()
    .min(1)
    .optional()
    .describe(
      'field (dotted path) holding when a record last changed: an instant with its offset ' +
        '(ISO 8601) or an integer that grows on every change; main runs then list only records ' +
        'changed since the last completed run',
    ),
});

export type FileSourceConfig = z.infer<typeof fileSourceConfigSchema>;

/** Where a page starts in the file: a byte offset and the line number found there. */
export const fileCursorSchema = z.object({
  offset: z.number().int().min(0),
  line: z.number().int().min(1),
});
export type FileCursor = z.infer<typeof fileCursorSchema>;
