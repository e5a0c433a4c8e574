import { JSONPath } from 'jsonpath-plus';
import { z } from 'zod';

/** A JSONPath into an answer, such as `$.data.items`; scripts in filters are not allowed. */
export const jsonPathSchema = z
  .string()
  .regex(/^\$/, 'start the path with $ (the whole answer), e.g. $.data')
  .describe('JSONPath into the answer, e.g. $.data.items');

/**
 * The single value at a path: `undefined` when nothing is there. A path that matches several
 * values is a configuration mistake, so it is reported rather than guessed at.
 */
export function valueAt(json: unknown, path: string): unknown {
  if (path === '$') return json;
  const found = JSONPath({ path, json: json as object, wrap: true, eval: false }) as unknown[];
  if (found.length > 1) {
    throw new Error(`path ${path} matches ${found.length} values; it must point at one`);
  }
  return found[0];
}
