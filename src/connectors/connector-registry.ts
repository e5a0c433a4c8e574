import type { DestinationConnector, SourceConnector } from './connector';

/** The connectors a worker can run, by type name. */
export class ConnectorRegistry {
  private readonly sources = new Map<string, SourceConnector<unknown>>();
  private readonly destinations = new Map<string, DestinationConnector<unknown>>();
  private readonly closers: (() => Promise<void>)[] = [];

  addSource<C>(connector: SourceConnector<C> & { close?(): Promise<void> }): this {
    this.sources.set(connector.type, connector as SourceConnector<unknown>);
    if (connector.close) this.closers.push(() => connector.close!());
    return this;
  }

  addDestination<C>(connector: DestinationConnector<C> & { close?(): Promise<void> }): this {
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
