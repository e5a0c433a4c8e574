import type { RequestHandler, Response } from 'express';
import { type Principal, type Role, inScope, roleAllows } from '../domain/access';
import { ForbiddenError, UnauthenticatedError } from '../domain/errors';
import type { TokenService } from '../services/token-service';

/**
 * What a route needs. Every route declares it, so none can be added without deciding:
 * - public: anyone (liveness and readiness only);
 * - role: at least this role; with `environment`, also the environment the request reaches
 *   must be in the token's scope (answer null when the resource does not exist: the route then
 *   answers 404 itself); with `everyEnvironment`, a token scoped to some environments only is
 *   refused (tokens, the OpenAPI document stay open to all scopes).
 */
export type RouteAccess<P> =
  | { public: true }
  | {
      role: Role;
      environment?: (params: P) => Promise<string | null> | string | null;
      everyEnvironment?: boolean;
    };

interface AccessLocals {
  /** Set by `authenticate`; a route that finds it unset refuses the request. */
  authenticated?: boolean;
  principal?: Principal;
  /** A token was sent but is not one the API accepts. */
  refused?: boolean;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Reads the bearer token, if any, and finds its principal; routes decide what to refuse. */
export function authenticate(tokens: TokenService): RequestHandler {
  return (req, res, next) => {
    const locals = res.locals as AccessLocals;
    const header = req.get('authorization');
    const presented = header ? BEARER.exec(header)?.[1] : undefined;
    if (!presented) {
      locals.authenticated = true;
      next();
      return;
    }
    tokens.authenticate(presented).then((principal) => {
      locals.authenticated = true;
      locals.principal = principal ?? undefined;
      locals.refused = !principal;
      next();
    }, next);
  };
}

/** 401 without a valid token, 403 when its role is too low. */
export function requirePrincipal(res: Response, needed: Role): Principal {
  const { authenticated, principal, refused } = res.locals as AccessLocals;
  if (refused) {
    throw new UnauthenticatedError(
      'the API token is not valid: it is unknown, revoked or expired; an operator creates ' +
        'tokens with "npm run tokens -- create"',
    );
  }
  if (!authenticated || !principal) {
    throw new UnauthenticatedError(
      'this route needs an API token: send "Authorization: Bearer <token>"; an operator ' +
        'creates tokens with "npm run tokens -- create"',
    );
  }
  if (!roleAllows(principal.role, needed)) {
    throw new ForbiddenError(
      `token "${principal.name}" has the role ${principal.role}; this route needs ${needed}`,
    );
  }
  return principal;
}

/** 403 when the request reaches an environment outside the token's scope. */
export function requireScope(principal: Principal, environment: string): void {
  if (!inScope(principal, environment)) {
    throw new ForbiddenError(
      `token "${principal.name}" does not reach environment "${environment}"`,
    );
  }
}

export function requireEveryEnvironment(principal: Principal): void {
  if (principal.environments !== null) {
    throw new ForbiddenError(
      `token "${principal.name}" reaches only some environments; this route needs a token ` +
        'that reaches all of them',
    );
  }
}

/**
 * For routes mounted outside RouteTable whose answers span environments (`/metrics`): refuses
 * requests without a token of this role that reaches every environment.
 */
export function requireTokenForEveryEnvironment(role: Role): RequestHandler {
  return (_req, res, next) => {
    requireEveryEnvironment(requirePrincipal(res, role));
    next();
  };
}
