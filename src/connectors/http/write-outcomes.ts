import { FatalConnectorError, TransientConnectorError } from '../connector-errors';
import type { WriteOutcome } from '../connector';

/**
 * Waits for every request of a batch, then answers their outcomes, or throws: a fatal error
 * before a transient one, and a transient one with the longest wait any answer asked for.
 * Waiting for all keeps no request in flight once the attempt rolls back.
 */
export async function settleWrites(writes: Promise<WriteOutcome[]>[]): Promise<WriteOutcome[]> {
  const settled = await Promise.allSettled(writes);
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  const fatal = errors.find((e) => e instanceof FatalConnectorError);
  if (fatal) throw fatal;
  if (errors.length > 0) {
    const waits = errors.map((e) => (e as TransientConnectorError).retryAfterMs ?? 0);
    const first = errors[0] as Error;
    if (!(first instanceof TransientConnectorError)) throw first;
    const longest = Math.max(...waits);
    throw new TransientConnectorError(first.message, longest > 0 ? longest : undefined, {
      cause: first,
    });
  }
  return settled.flatMap((s) => (s as PromiseFulfilledResult<WriteOutcome[]>).value);
}
