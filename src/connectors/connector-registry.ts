import type { DestinationConnector, SourceConnector } from './connector';

/**
 * The connectors a worker can run, by type name. A source and a destination may share a type
 * name (e.g. "http"); two sources may not.
 */
export class ConnectorRegistry {
  private readonly sources = new Map<string, SourceConnector<unknown>>();
  private readonly destinations = new Map<string, DestinationConnector<unknown>>();
  private readonly closers: (() => Promise<void>)[] = [];

  addSource<C>(connector: SourceConnector<C> & { close?(): Promise<void> }): this {
    if (this.sources.has(connector.type)) {
      throw new Error(`a source connector of type "${connector.type}" is already registered`);
    }
    this.sources.set(connector.type, connector as SourceConnector<unknown>);
    if (connector.close) this.closers.push(() => connector.close!());
    return this;
  }

  addDestination<C>(connector: DestinationConnector<C> & { close?(): Promise<void> }): this {
    if (this.destinations.has(connector.type)) {
      throw new Error(`a destination connector of type "${connector.type}" is already registered`);
    }
    this.destinations.set(connector.type, connector as DestinationConnector<unknown>);
    if (connector.close) this.closers.push(() => connector.close!());
    return this;
  }

  source(type: string): SourceConnector<unknown> | undefined {
    return this.sources.get(type);
  }

  destination(type: string): DestinationConnector<unknown> | undefined {
    return this.destinations.get(type);
  }

  sourceTypes(): string[] {
    return [...this.sources.keys()];
  }

  destinationTypes(): string[] {
    return [...this.destinations.keys()];
  }

  async close(): Promise<void> {
    await Promise.all(this.closers.map((close) => close()));
  }
}
