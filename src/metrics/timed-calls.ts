import { Histogram } from 'prom-client';
import { durationBuckets, metricsRegistry } from './metrics-registry';

export const workerCalls = new Histogram({
  name: 'processflow_worker_call_duration_seconds',
  help: "Calls from a worker's activities to the ledger's stores and to Temporal, by target and method",
  labelNames: ['target', 'method'] as const,
  buckets: durationBuckets,
  registers: [metricsRegistry],
});

/**
 * The same object with each method call timed under `target`, so that where a page's time goes
 * (ledger writes, snapshots, lifecycle notices) can be read from `/metrics` without timers in
 * the pipeline's code.
 */
export function timedCalls<T extends object>(target: string, object: T): T {
  return new Proxy(object, {
    get(subject, key, receiver) {
      const value: unknown = Reflect.get(subject, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        const stop = workerCalls.startTimer({ target, method: key });
        try {
          const result: unknown = value.apply(subject, args);
          if (result instanceof Promise) return result.finally(() => stop());
          stop();
          return result;
        } catch (error) {
          stop();
          throw error;
        }
      };
    },
  });
}
