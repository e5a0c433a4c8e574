import type { OpenAPIRegistry, ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';
import { type BodyFormat, bodyReaders } from './request-body';
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
  /** Error statuses the route answers besides 400 and 500. */
  problems?: number[];
}

export interface RouteInput<P, Q, B> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
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
    const readers = spec.body ? bodyReaders(formats) : [];
    this.router[spec.method](expressPath(spec.path), ...readers, async (req, res) => {
      const input = {
        params: spec.params && parseRequestPart(spec.params, req.params, 'params'),
        query: parseRequestPart(spec.query ?? noQuery, req.query, 'query'),
        body: spec.body && parseRequestPart(spec.body, req.body ?? {}, 'body'),
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

function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

function describeRoute(
  spec: RouteSpec<z.ZodObject | undefined, z.ZodObject | undefined, z.ZodType | undefined>,
  formats: readonly BodyFormat[],
): RouteConfig {
  const responses: Record<string, ResponseConfig> = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema && { content: { 'application/json': { schema: response.schema } } }),
    };
  }
  const problems = [400, ...(spec.problems ?? []), 500];
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
  return {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    ...(spec.description && { description: spec.description }),
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
