import type { SourceReader } from '../../src/connectors/connector';
import { FatalConnectorError } from '../../src/connectors/connector-errors';
import { boundedCursors, MAX_CURSOR_BYTES } from '../../src/pipeline/bounded-cursor';

function readerWithCursor(nextCursor: string | null): SourceReader {
  return {
    listPage: async () => ({ records: [], rejects: [], nextCursor }),
    getByIds: async () => new Map(),
    close: async () => {},
  };
}

describe('boundedCursors', () => {
  it('passes cursors up to the limit through', async () => {
    const cursor = 'c'.repeat(MAX_CURSOR_BYTES);

    const page = await boundedCursors(readerWithCursor(cursor)).listPage(null, 10);

    expect(page.nextCursor).toBe(cursor);
  });

  it('stops the run on a larger cursor, saying how large it was', async () => {
    const reader = boundedCursors(readerWithCursor('é'.repeat(MAX_CURSOR_BYTES)));

    const failure = await reader.listPage(null, 10).catch((error) => error);

    expect(failure).toBeInstanceOf(FatalConnectorError);
    expect(failure.message).toMatch(/cursor is 131072 bytes/);
  });
});
