/** Transport-free errors that services throw; the API maps them to status codes. */
export class InputError extends Error {
  override readonly name = 'InputError';

  constructor(
    message: string,
    /** Field-level problems: where (dotted path) and what. */
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** A service the request needs (Temporal, the database) cannot be reached right now. */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
}

/** The request carries no valid credentials. */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
}

/** The caller is known but may not do this: its role is too low, or the environment is outside its scope. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}
