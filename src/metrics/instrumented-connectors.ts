import type { DestinationWriter, SourceReader } from '../connectors/connector';
import { classifyConnectorError } from '../connectors/connector-errors';
import { connectorCallRecords, connectorCalls } from './attempt-metrics';

type Operation = 'list' | 'get' | 'write';

async function timed<T>(
  connector: string,
  operation: Operation,
  call: () => Promise<T>,
  records: (result: T) => number,
): Promise<T> {
  const stop = connectorCalls.startTimer({ connector, operation });
  try {
    const result = await call();
    stop({ outcome: 'ok' });
    connectorCallRecords.inc({ connector, operation }, records(result));
    return result;
  } catch (error) {
    stop({ outcome: classifyConnectorError(error) });
    throw error;
  }
}

/** A source reader that times each call and counts the records it hands over. */
export function instrumentReader(connector: string, reader: SourceReader): SourceReader {
  return {
    listPage: (...args) =>
      timed(
        connector,
        'list',
        () => reader.listPage(...args),
        (page) => page.records.length,
      ),
    getByIds: (ids) =>
      timed(
        connector,
        'get',
        () => reader.getByIds(ids),
        (found) => found.size,
      ),
    close: () => reader.close(),
  };
}

/** A destination writer that times each batch and counts the records it was given. */
export function instrumentWriter(connector: string, writer: DestinationWriter): DestinationWriter {
  return {
    writeBatch: (items) =>
      timed(
        connector,
        'write',
        () => writer.writeBatch(items),
        () => items.length,
      ),
    close: () => writer.close(),
  };
}
