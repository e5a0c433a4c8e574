import { Agent } from 'undici';
import { RequestGates } from './request-gates';

/**
 * What HTTP connectors share for the life of a worker: pooled keep-alive connections and the
 * per-application request gates. Closing it twice is harmless, since the source and the
 * destination connector both hold it.
 */
export class HttpTransport {
  readonly gates = new RequestGates();
  private closed?: Promise<void>;

  private constructor(readonly dispatcher: Agent) {}

  static create(): HttpTransport {
    return new HttpTransport(new Agent({ keepAliveTimeout: 10_000, connections: 64 }));
  }

  close(): Promise<void> {
    this.closed ??= Promise.all([this.gates.close(), this.dispatcher.close()]).then(() => {});
    return this.closed;
  }
}
