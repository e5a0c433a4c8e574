import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';

export interface WebhookInbox {
  url: string;
  dir: string;
  close(): Promise<void>;
}

/** Bodies over this are refused: the inbox takes reports, not uploads. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The demo's stand-in for an operator's inbox: every POST is kept as a file in `dir`
 * (`<time>-<n>.json`) and answered 204, so a daily report's webhook delivery can be watched.
 */
export async function startWebhookInbox(
  host: string,
  port: number,
  dir: string,
  log: Logger,
): Promise<WebhookInbox> {
  await mkdir(dir, { recursive: true });
  let received = 0;
  const server = createServer((request, response) => {
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (bytes > MAX_BODY_BYTES) {
        response.writeHead(413).end();
        return;
      }
      const file = join(
        dir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${++received}.json`,
      );
      writeFile(file, Buffer.concat(chunks))
        .then(() => {
          log.info({ path: request.url, file, bytes }, 'webhook received');
          response.writeHead(204).end();
        })
        .catch((err: unknown) => {
          log.warn({ err, file }, 'webhook could not be kept');
          response.writeHead(500).end();
        });
    });
  });
  await listen(server, host, port);
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${host}:${actualPort}/hooks`,
    dir,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}
