import {
  FatalConnectorError,
  RecordConnectorError,
  TransientConnectorError,
} from '../connector-errors';

interface PgError {
  code?: string;
  message: string;
  detail?: string;
  constraint?: string;
  column?: string;
}

/** SQLSTATEs a single row can cause: bad data, or a constraint the row breaks. */
function isRowError(code: string): boolean {
  return (
    code.startsWith('22') || // data exception
    code.startsWith('23') || // integrity constraint violation
    code === '21000' || // one batch touching the same key twice: decided row by row
    code === '42703' || // a field of the record has no column
    code === '42804' // datatype mismatch
  );
}

/** SQLSTATEs that go away by themselves: connection loss, shutdown, contention, resources. */
export function isTransient(code: string | undefined): boolean {
  if (code === undefined) return true; // socket errors (ECONNREFUSED, ECONNRESET, timeouts)
  return (
    code.startsWith('08') ||
    code.startsWith('40') ||
    code.startsWith('53') ||
    code.startsWith('57P') ||
    code === '55P03'
  );
}

/** What the database answered, kept in the snapshot as the destination's response. */
export function describePgError(error: PgError) {
  const { code, message, detail, constraint, column } = error;
  return { code, message, detail, constraint, column };
}

/** Maps a database error to the connector error class that decides what happens next. */
export function classifyPgError(error: unknown): Error {
  const pgError = error as PgError;
  const code =
    typeof pgError.code === 'string' && /^[0-9A-Z]{5}$/.test(pgError.code)
      ? pgError.code
      : undefined;
  if (code && isRowError(code)) {
    return new RecordConnectorError(pgError.message, describePgError(pgError), { cause: error });
  }
  if (isTransient(code)) {
    return new TransientConnectorError(
      `destination database unavailable: ${pgError.message}`,
      undefined,
      {
        cause: error,
      },
    );
  }
  return new FatalConnectorError(`destination database refused the write: ${pgError.message}`, {
    cause: error,
  });
}
