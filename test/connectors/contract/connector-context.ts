import type {
  ConnectorContext,
  DestinationConnector,
  SourceConnector,
} from '../../../src/connectors/connector';
import { createSecretReader, SECRET_ENV_PREFIX } from '../../../src/secrets';

/** A context as the worker gives it, with secrets (by name) from the given map only. */
export function testContext(secrets: Record<string, string> = {}): ConnectorContext {
  const env = Object.fromEntries(
    Object.entries(secrets).map(([name, value]) => [`${SECRET_ENV_PREFIX}${name}`, value]),
  );
  return { secret: createSecretReader(env), signal: new AbortController().signal };
}

/** Opens a reader as the worker does: the raw config goes through the connector's schema. */
export function openSource<C>(
  connector: SourceConnector<C>,
  config: unknown,
  context: ConnectorContext = testContext(),
  idField = 'id',
) {
  return connector.openReader(connector.configSchema.parse(config), idField, context);
}

export function openDestination<C>(
  connector: DestinationConnector<C>,
  config: unknown,
  context: ConnectorContext = testContext(),
) {
  return connector.openWriter(connector.configSchema.parse(config), context);
}
