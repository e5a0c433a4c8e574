import type { SourceReader } from '../connectors/connector';
import { FatalConnectorError } from '../connectors/connector-errors';

/**
 * A page's cursor goes back to the workflow and so into its history, where Temporal refuses
 * payloads over 2 MB; records never travel there, and cursors must stay as small. A source that
 * hands out a larger one (an application echoing a huge token) stops the run with a clear error,
 * instead of failing every retry of the page at Temporal's door.
 */
export const MAX_CURSOR_BYTES = 64 * 1024;

export function boundedCursors(reader: SourceReader): SourceReader {
  return {
    ...reader,
    listPage: async (...args: Parameters<SourceReader['listPage']>) => {
      const page = await reader.listPage(...args);
      const bytes = page.nextCursor === null ? 0 : Buffer.byteLength(page.nextCursor);
      if (bytes > MAX_CURSOR_BYTES) {
        throw new FatalConnectorError(
          `the source's next-page cursor is ${bytes} bytes; processflow keeps cursors under ` +
            `${MAX_CURSOR_BYTES} bytes, as they travel through Temporal: page with a shorter cursor`,
        );
      }
      return page;
    },
    getByIds: (ids) => reader.getByIds(ids),
    close: () => reader.close(),
  };
}
