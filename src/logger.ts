import pino, { type Logger } from 'pino';

export type { Logger };

/** One JSON line per event; children carry ids (deployment, execution, source id). */
export function createLogger(
  level: string,
  name = 'processflow',
  destination?: pino.DestinationStream,
): Logger {
  const options = {
    name,
    level,
    redact: {
      paths: ['*.password', '*.secret', '*.token', '*.authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
