/**
 * Whether @temporalio/testing failed to start a server because it could not download the
 * binary, as happens without access to Temporal's download service. Any other failure (a port in
 * use, say) would fail the same way with a local binary, so it is not a reason to fall back.
 */
export function isDownloadFailure(err: unknown): boolean {
  // Not `instanceof Error`: the error comes from the native bridge, which under jest is another
  // realm with its own Error class.
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /failed to download/i.test(message);
}
