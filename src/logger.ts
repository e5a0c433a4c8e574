import pino, { type Logger } from 'pino';

export type { Logger };

/** One JSON line per event; children carry ids (deployment, execution, source id). */
export function createLogger(level: string, name = 'processflow'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['*.password', '*.secret', '*.token', '*.authorization'],
      censor: '[redacted]',
    },
  });
}
