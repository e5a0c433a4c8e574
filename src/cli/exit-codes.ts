/**
 * What `processflow` exits with, for scripts. Documented in the README; never renumber one.
 */
export const ExitCode = {
  ok: 0,
  /** Something unexpected: the message says what; report it with the API's errorId. */
  internal: 1,
  /** The command line is wrong: unknown command or option, missing argument. */
  usage: 2,
  /** The deployment, environment, record, execution or report does not exist. */
  notFound: 3,
  /** Not possible now: no agent attached, deployment undeployed, execution not running. */
  conflict: 4,
  /** No token, a token that is not valid, or one without the role or scope needed. */
  denied: 5,
  /** The API cannot be reached or answered 5xx. */
  unavailable: 6,
  /** The API refused the input (400): the message names each field. */
  invalid: 7,
  /** It ran to the end, and some records failed. */
  recordsFailed: 8,
  /** The run or resync itself failed or was cancelled. */
  runFailed: 9,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports in one message and exits with its code. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
  }
}
