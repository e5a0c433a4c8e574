import { ConnectorRegistry } from './connector-registry';
import { createFileSource, type FileSourceOptions } from './file-source/file-source';
import { createHttpDestination } from './http/http-destination';
import { createHttpSource } from './http/http-source';
import { HttpTransport } from './http/http-transport';
import { createPostgresDestination } from './postgres-destination/postgres-destination';
import { createPostgresSource } from './postgres-source/postgres-source';

/** The connectors that ship with processflow. */
export function createDefaultConnectors(options: {
  fileSource: FileSourceOptions;
  /** A record larger than this becomes a reject; default: the file source's limit. */
  maxRecordBytes?: number;
}): ConnectorRegistry {
  const maxRecordBytes = options.maxRecordBytes ?? options.fileSource.maxRecordBytes;
  const http = HttpTransport.create();
  return new ConnectorRegistry()
    .addSource(createFileSource(options.fileSource))
    .addSource(createHttpSource(http, { maxRecordBytes }))
    .addSource(createPostgresSource({ maxRecordBytes }))
    .addDestination(createHttpDestination(http))
    .addDestination(createPostgresDestination());
}
