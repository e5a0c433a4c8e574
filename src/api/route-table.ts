import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import { InputError } from '../domain/errors';
import { type Actor, actorOf, type Principal } from '../domain/access';
import {
  requireEveryEnvironment,
  requirePrincipal,
  requireScope,
  type RouteAccess,
} from './access-control';
import { type BodyFormat, bodyReaders, jsonBody } from './request-body';
import { parseRequestPart } from './request-input';
import { problemDetailsSchema } from './schemas/problem-schemas';

type Method = 'get' | 'post' | 'put' | 'delete';
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<
  P extends z.ZodObject | undefined,
  Q extends z.ZodObject | undefined,
  B extends z.ZodType | undefined,
> {
  method: Method;
  /** OpenAPI form: `/deployments/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  params?: P;
  /** Absent: the route takes no query parameters, and any given is refused. */
  query?: Q;
  body?: B;
  /** Default: JSON only. */
  bodyFormats?: readonly BodyFormat[];
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** Error statuses the route answers besides 400 and 500 (and 401, 403 when not public). */
  problems?: number[];
  /** Who may call it: see access-control.ts. Required, so that no route is left open by default. */
  access: RouteAccess<Parsed<P>>;
}

export interface RouteInput<P, Q, B> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  /** The token's principal; absent on public routes. */
  principal?: Principal;
  /** Who the audit log names for what this request does. */
  actor: Actor;
}

export interface RouteReply {
  status: number;
  body?: unknown;
  location?: string;
}

const noQuery = z.strictObject({});

/**
 * A resource's routes: each is mounted on an Express router and described in the OpenAPI
 * registry from the same zod schemas, so the document cannot drift from what is parsed.
 */
export class RouteTable {
  readonly router = Router();

  constructor(private readonly registry: OpenAPIRegistry) {}

  add<
    P extends z.ZodObject | undefined = undefined,
    Q extends z.ZodObject | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
  >(spec: RouteSpec<P, Q, B>, handler: (input: RouteInput<P, Q, B>) => Promise<RouteReply>) {
    const formats = spec.bodyFormats ?? ['json'];
    const { access } = spec;
    // Credentials are checked before the body is read, so an anonymous caller cannot make the
    // server parse a large body.
    const gate: RequestHandler = (_req, res, next) => {
      if (!('public' in access)) requirePrincipal(res, access.role);
      next();
    };
    const readers = spec.body ? [jsonBody, ...bodyReaders(formats)] : [refuseBody];
    this.router[spec.method](expressPath(spec.path), gate, ...readers, async (req, res) => {
      const principal = 'public' in access ? undefined : requirePrincipal(res, access.role);
      const params = spec.params && parseRequestPart(spec.params, req.params, 'params');
      if (principal && !('public' in access)) {
        if (access.everyEnvironment) requireEveryEnvironment(principal);
        const environment = access.environment && (await access.environment(params as never));
        if (environment) requireScope(principal, environment);
      }
      const input = {
        params,
        query: parseRequestPart(spec.query ?? noQuery, req.query, 'query'),
        body:
          spec.body && parseRequestPart(spec.body, req.body === undefined ? {} : req.body, 'body'),
        principal,
        actor: principal ? actorOf(principal) : { kind: 'system', name: 'anonymous' },
      } as RouteInput<P, Q, B>;
      const reply = await handler(input);
      if (reply.location) res.location(reply.location);
      res.status(reply.status);
      if (reply.body === undefined) res.end();
      else res.json(reply.body);
    });
    this.registry.registerPath(describeRoute(spec, formats));
  }
}

/** A route without a body refuses one rather than ignore what the client meant to say. */
const refuseBody: RequestHandler = (req, _res, next) => {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > 0 || req.headers['transfer-encoding'] !== undefined) {
    throw new InputError('this route takes no request body', [
      { path: 'body', message: 'must be empty: send the request without a body' },
    ]);
  }
  next();
};

function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

function describeRoute<P extends z.ZodObject | undefined>(
  spec: RouteSpec<P, z.ZodObject | undefined, z.ZodType | undefined>,
  formats: readonly BodyFormat[],
): RouteConfig {
  const access = spec.access;
  const guarded = !('public' in access);
  const responses: Record<string, ResponseConfig> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema && { content: { 'application/json': { schema: response.schema } } }),
    };
  }
  const problems = [400, ...(guarded ? [401, 403] : []), ...(spec.problems ?? []), 500];
  if (spec.body) problems.push(413, 415);
  for (const status of problems.sort((a, b) => a - b)) {
    responses[String(status)] = {
      description: 'a problem answer',
      content: { 'application/problem+json': { schema: problemDetailsSchema } },
    };
  }
  const bodyTypes = formats.flatMap((format) =>
    format === 'json' ? ['application/json'] : ['application/yaml', 'text/yaml'],
  );
  const needs = guarded
    ? `Needs a token with the role ${access.role} or higher` +
      (access.everyEnvironment ? ' that reaches every environment.' : '.')
    : 'Open to anyone, without a token.';
  return {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    description: spec.description ? `${spec.description}\n\n${needs}` : needs,
    security: guarded ? [{ bearerToken: [] }] : [],
    'x-required-role': guarded ? access.role : null,
    'x-token-scope': !guarded
      ? null
      : access.everyEnvironment
        ? 'every-environment'
        : access.environment
          ? 'environment'
          : 'any',
    tags: [spec.tag],
    request: {
      ...(spec.params && { params: spec.params }),
      query: spec.query ?? noQuery,
      ...(spec.body && {
        body: {
          content: Object.fromEntries(bodyTypes.map((type) => [type, { schema: spec.body! }])),
        },
      }),
    },
    responses,
  };
}
