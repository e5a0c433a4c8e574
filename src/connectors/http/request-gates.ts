import Bottleneck from 'bottleneck';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The door to one application: at most `concurrency` requests in flight and `ratePerSecond`
 * started per second, shared by every reader and writer of this worker that talks to it. After
 * a 429 the door stays shut for the Retry-After, so that other pages do not keep knocking.
 */
export class RequestGate {
  private pausedUntil = 0;

  constructor(private readonly limiter: Bottleneck) {}

  async run<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    return this.limiter.schedule(async () => {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) await sleep(wait, undefined, { signal });
      signal.throwIfAborted();
      return work();
    });
  }

  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }
}

export interface GateLimits {
  concurrency: number;
  ratePerSecond?: number;
}

/** One gate per application (origin) and limits, for the life of the worker. */
export class RequestGates {
  private readonly gates = new Map<string, RequestGate>();
  private readonly limiters: Bottleneck[] = [];

  for(baseUrl: string, limits: GateLimits): RequestGate {
    const key = `${new URL(baseUrl).origin} ${limits.concurrency} ${limits.ratePerSecond ?? '-'}`;
    let gate = this.gates.get(key);
    if (!gate) {
      const limiter = new Bottleneck({
        maxConcurrent: limits.concurrency,
        minTime: limits.ratePerSecond ? Math.ceil(1000 / limits.ratePerSecond) : 0,
      });
      this.limiters.push(limiter);
      gate = new RequestGate(limiter);
      this.gates.set(key, gate);
    }
    return gate;
  }

  async close(): Promise<void> {
    await Promise.all(this.limiters.map((limiter) => limiter.stop({ dropWaitingJobs: true })));
    this.limiters.length = 0;
    this.gates.clear();
  }
}
