import { z } from 'zod';
import { FatalConnectorError } from '../connector-errors';

/**
 * Where the next page starts, as it travels through the workflow between pages. `anchor` is
 * the id of the last record handed over, used to notice a list that moved under the cursor;
 * `stalls` counts pages in a row that brought nothing new.
 */
export const listCursorSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('page'),
    page: z.number().int(),
    size: z.number().int().min(1),
    anchor: z.string().nullable(),
    stalls: z.number().int().min(0),
  }),
  z.object({
    type: z.literal('offset'),
    offset: z.number().int().min(0),
    anchor: z.string().nullable(),
    restarts: z.number().int().min(0),
    stalls: z.number().int().min(0),
  }),
  z.object({ type: z.literal('cursor'), cursor: z.string() }),
  z.object({ type: z.literal('link'), url: z.string() }),
]);

export type ListCursor = z.infer<typeof listCursorSchema>;

export function encodeListCursor(cursor: ListCursor | null): string | null {
  return cursor === null ? null : JSON.stringify(cursor);
}

export function decodeListCursor(text: string): ListCursor {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = listCursorSchema.safeParse(json);
  if (!parsed.success) throw new FatalConnectorError(`HTTP source cursor is not valid: ${text}`);
  return parsed.data;
}
