import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The one Prometheus registry of a process. The API and each worker serve it on `/metrics`;
 * every metric of the product registers here, in the module that owns its figures.
 */
export const metricsRegistry = new Registry();

collectDefaultMetrics({ register: metricsRegistry });

/** Buckets for durations from a few milliseconds to several minutes, in seconds. */
export const durationBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
];

/** Buckets for lags from seconds to a day, in seconds. */
export const lagBuckets = [1, 10, 60, 300, 900, 1800, 3600, 2 * 3600, 6 * 3600, 12 * 3600, 86_400];
