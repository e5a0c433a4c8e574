import type { Registry } from 'prom-client';

/**
 * The registry in Prometheus text format, followed by what other exporters of the same process
 * serve (the Temporal SDK's worker metrics). An exporter that does not answer is left out, so
 * a scrape never fails because of it.
 */
export async function metricsText(registry: Registry, extraUrls: readonly string[] = []) {
  const parts = [await registry.metrics()];
  for (const url of extraUrls) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) parts.push(await response.text());
    } catch {
      // The SDK's exporter starts with the first worker; before that it has nothing to say.
    }
  }
  return parts.map((part) => (part.endsWith('\n') ? part : `${part}\n`)).join('');
}
