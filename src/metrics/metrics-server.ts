import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { metricsText } from './metrics-text';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `/metrics` for a process that has no HTTP API of its own (a worker): the registry,
 * then the Temporal SDK's metrics read from its exporter at `sdkMetricsUrl`.
 */
export async function startMetricsServer(input: {
  host: string;
  port: number;
  registry: Registry;
  sdkMetricsUrl?: string;
}): Promise<MetricsServer> {
  const extra = input.sdkMetricsUrl ? [input.sdkMetricsUrl] : [];
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('only GET /metrics is served here\n');
      return;
    }
    metricsText(input.registry, extra).then(
      (text) => res.writeHead(200, { 'content-type': input.registry.contentType }).end(text),
      (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(input.port, input.host, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
