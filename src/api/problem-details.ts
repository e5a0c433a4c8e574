import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  ConflictError,
  ForbiddenError,
  InputError,
  NotFoundError,
  UnauthenticatedError,
  UnavailableError,
} from '../domain/errors';
import type { Logger } from '../logger';
import { loggableUrl } from './loggable-url';
import type { FieldIssue } from './request-input';
import { BODY_LIMIT, UnsupportedMediaTypeError } from './request-body';
import { requestIdOf, requestLogOf } from './request-context';

/** An error answer (RFC 9457). `errorId` is the request id, also found in the server's log. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldIssue[];
  errorId: string;
}

type Problem = Omit<ProblemDetails, 'errorId'>;

/** Problem types are stable identifiers clients may branch on; docs/api.md lists them. */
const problemType = (slug: string) => `urn:processflow:problem:${slug}`;

/** Errors thrown by body parsers and the router carry an HTTP status. */
interface HttpError {
  status: number;
  type?: string;
  expose?: boolean;
  message: string;
}

/** A path that exists, asked with a method it does not take. */
class MethodNotAllowedError extends Error {
  constructor(
    message: string,
    readonly allow: string[],
  ) {
    super(message);
  }
}

/**
 * The answer when no route took the request: 405 with `Allow` when the path exists under other
 * methods (from the routes documented in `registry`), 404 otherwise.
 */
export function unknownRoute(registry: OpenAPIRegistry): RequestHandler {
  let routes: { pattern: RegExp; method: string }[] | undefined;
  return (req, _res, next) => {
    routes ??= registry.definitions.flatMap((definition) =>
      definition.type === 'route'
        ? [{ pattern: pathPattern(definition.route.path), method: definition.route.method }]
        : [],
    );
    const allow = [
      ...new Set(
        routes.filter((route) => route.pattern.test(req.path)).map((r) => r.method.toUpperCase()),
      ),
    ].sort();
    if (allow.length > 0) {
      next(
        new MethodNotAllowedError(
          `${req.method} is not allowed on ${req.path}; it takes ${allow.join(', ')}`,
          allow,
        ),
      );
      return;
    }
    next(
      new NotFoundError(
        `no route matches ${req.method} ${req.path}; the routes are listed at /openapi.json`,
      ),
    );
  };
}

/** `/deployments/{id}/records/{sourceId}` as a pattern matching one segment per parameter. */
function pathPattern(path: string): RegExp {
  const segments = path
    .split(/\{[^}]+\}/)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${segments.join('[^/]+')}/?$`);
}

/** The one error middleware: maps errors to problem answers and logs only server faults. */
export function problemDetails(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const problem = toProblem(error);
    const errorId = requestIdOf(res);
    if (problem.status === 401) res.set('WWW-Authenticate', 'Bearer');
    if (error instanceof MethodNotAllowedError) res.set('Allow', error.allow.join(', '));
    if (problem.status >= 500) {
      requestLogOf(res, log).error(
        { err: error, errorId, method: req.method, url: loggableUrl(req.originalUrl) },
        'request failed',
      );
    }
    res
      .status(problem.status)
      .type('application/problem+json')
      .json({ ...problem, errorId } satisfies ProblemDetails);
  };
}

function toProblem(error: unknown): Problem {
  if (error instanceof InputError) {
    return {
      type: problemType('invalid-input'),
      title: 'Invalid input',
      status: 400,
      detail: error.message,
      errors: error.issues,
    };
  }
  if (error instanceof UnauthenticatedError) {
    return {
      type: problemType('unauthenticated'),
      title: 'Unauthenticated',
      status: 401,
      detail: error.message,
    };
  }
  if (error instanceof ForbiddenError) {
    return {
      type: problemType('forbidden'),
      title: 'Forbidden',
      status: 403,
      detail: error.message,
    };
  }
  if (error instanceof NotFoundError) {
    return {
      type: problemType('not-found'),
      title: 'Not found',
      status: 404,
      detail: error.message,
    };
  }
  if (error instanceof MethodNotAllowedError) {
    return {
      type: problemType('method-not-allowed'),
      title: 'Method not allowed',
      status: 405,
      detail: error.message,
    };
  }
  if (error instanceof ConflictError) {
    return { type: problemType('conflict'), title: 'Conflict', status: 409, detail: error.message };
  }
  if (error instanceof UnavailableError) {
    return {
      type: problemType('unavailable'),
      title: 'Service unavailable',
      status: 503,
      detail: error.message,
    };
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return {
      type: problemType('unsupported-media-type'),
      title: 'Unsupported media type',
      status: 415,
      detail: error.message,
    };
  }
  if (isClientHttpError(error)) return fromHttpError(error);
  return {
    type: problemType('internal'),
    title: 'Internal server error',
    status: 500,
    detail: 'the server could not answer this request; quote the error id when reporting it',
  };
}

function fromHttpError(error: HttpError): Problem {
  if (error instanceof URIError) {
    // The router could not percent-decode a path segment; it names the segment, not the field.
    const segment = /'(.*)'$/s.exec(error.message)?.[1];
    return toProblem(
      new InputError('the path parameters are not valid', [
        {
          path: 'params',
          message:
            `${segment === undefined ? 'a path segment' : `"${segment.slice(0, 200)}"`} is not ` +
            'valid percent-encoding: a % must be followed by two hex digits of UTF-8',
        },
      ]),
    );
  }
  switch (error.type) {
    case 'entity.parse.failed':
      return {
        type: problemType('malformed-body'),
        title: 'Malformed body',
        status: 400,
        detail: `the body is not valid JSON: ${error.message}`,
      };
    case 'entity.too.large':
      return {
        type: problemType('body-too-large'),
        title: 'Body too large',
        status: 413,
        detail: `the body is larger than the limit of ${BODY_LIMIT}`,
      };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return {
        type: problemType('unsupported-media-type'),
        title: 'Unsupported media type',
        status: 415,
        detail: error.message,
      };
    default:
      return {
        type: problemType('bad-request'),
        title: 'Bad request',
        status: error.status,
        detail: error.expose === false ? 'the request could not be read' : error.message,
      };
  }
}

function isClientHttpError(error: unknown): error is HttpError {
  const status = (error as Partial<HttpError> | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}
