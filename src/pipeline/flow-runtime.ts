import type { ConnectorRegistry } from '../connectors/connector-registry';
import type { DestinationWriter, SourceReader } from '../connectors/connector';
import { FatalConnectorError } from '../connectors/connector-errors';
import type { ProcessflowDefinition } from '../domain/processflow-definition';
import { instrumentReader, instrumentWriter } from '../metrics/instrumented-connectors';
import { boundedCursors } from './bounded-cursor';
import type { SecretReader } from '../secrets';
import { type CompiledStep, compileSteps } from './transform-steps';

export interface OpenFlow {
  definition: ProcessflowDefinition;
  steps: CompiledStep[];
  reader: SourceReader;
  writer: DestinationWriter;
  close(): Promise<void>;
}

/**
 * Turns a stored definition into connectors ready to run. Compiled steps are cached per
 * processflow version, which never changes once saved.
 */
export class FlowRuntime {
  private readonly compiled = new Map<string, CompiledStep[]>();

  constructor(
    private readonly connectors: ConnectorRegistry,
    private readonly secret: SecretReader,
  ) {}

  async open(
    definition: ProcessflowDefinition,
    version: number,
    signal: AbortSignal,
  ): Promise<OpenFlow> {
    const context = { secret: this.secret, signal };
    const source = this.connectors.source(definition.source.connector);
    const destination = this.connectors.destination(definition.destination.connector);
    if (!source)
      throw new FatalConnectorError(`no source connector "${definition.source.connector}"`);
    if (!destination) {
      throw new FatalConnectorError(
        `no destination connector "${definition.destination.connector}"`,
      );
    }

    const sourceConfig = parseConfig(source.configSchema, definition.source.config, 'source');
    const destinationConfig = parseConfig(
      destination.configSchema,
      definition.destination.config,
      'destination',
    );
    const reader = boundedCursors(
      instrumentReader(
        source.type,
        await source.openReader(sourceConfig, definition.source.idField, context),
      ),
    );
    let writer: DestinationWriter;
    try {
      writer = instrumentWriter(
        destination.type,
        await destination.openWriter(destinationConfig, context),
      );
    } catch (error) {
      await reader.close();
      throw error;
    }

    return {
      definition,
      steps: this.stepsOf(definition, version),
      reader,
      writer,
      close: async () => {
        await Promise.allSettled([reader.close(), writer.close()]);
      },
    };
  }

  private stepsOf(definition: ProcessflowDefinition, version: number): CompiledStep[] {
    const key = `${definition.name}@${version}`;
    let steps = this.compiled.get(key);
    if (!steps) {
      try {
        steps = compileSteps(definition.steps);
      } catch (error) {
        throw new FatalConnectorError((error as Error).message);
      }
      this.compiled.set(key, steps);
    }
    return steps;
  }
}

function parseConfig(
  schema: {
    safeParse(value: unknown): { success: boolean; data?: unknown; error?: { message: string } };
  },
  config: unknown,
  node: string,
): unknown {
  const parsed = schema.safeParse(config);
  if (!parsed.success)
    throw new FatalConnectorError(`${node} config is not valid: ${parsed.error!.message}`);
  return parsed.data;
}
