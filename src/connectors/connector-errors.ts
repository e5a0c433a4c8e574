/**
 * The three classes of connector failure. Which class an error falls in decides what happens
 * next: a transient fault is retried inside the attempt, a record error fails this record only,
 * a fatal error stops the whole run and leaves what it did not reach Unprocessed.
 */
export class TransientConnectorError extends Error {
  override readonly name = 'TransientConnectorError';

  constructor(
    message: string,
    /** How long the other side asked us to wait (Retry-After), if it said. */
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class RecordConnectorError extends Error {
  override readonly name = 'RecordConnectorError';

  constructor(
    message: string,
    /** What the other side answered, kept in the record's snapshot. */
    readonly response?: unknown,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class FatalConnectorError extends Error {
  override readonly name = 'FatalConnectorError';
}

export type ConnectorErrorClass = 'transient' | 'record' | 'fatal';

export function classifyConnectorError(error: unknown): ConnectorErrorClass {
  if (error instanceof FatalConnectorError) return 'fatal';
  if (error instanceof RecordConnectorError) return 'record';
  return 'transient';
}
