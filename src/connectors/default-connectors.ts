import { ConnectorRegistry } from './connector-registry';
import { createFileSource, type FileSourceOptions } from './file-source/file-source';
import { createPostgresDestination } from './postgres-destination/postgres-destination';

/** The connectors that ship with processflow. */
export function createDefaultConnectors(options: {
  fileSource: FileSourceOptions;
}): ConnectorRegistry {
  return new ConnectorRegistry()
    .addSource(createFileSource(options.fileSource))
    .addDestination(createPostgresDestination());
}
