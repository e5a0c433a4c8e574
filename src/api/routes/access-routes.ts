import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { AuditService } from '../../services/audit-service';
import type { TokenService } from '../../services/token-service';
import { RouteTable } from '../route-table';
import {
  auditListSchema,
  auditQuerySchema,
  createdTokenSchema,
  toAuditEvent,
  tokenBodySchema,
  tokenListSchema,
  tokenParamsSchema,
  tokenSchema,
  toToken,
} from '../schemas/access-schemas';

const DAY_MS = 86_400_000;

/** API tokens and the audit log. Token management needs an admin that reaches everything. */
export function createAccessRouter(
  services: { tokens: TokenService; audit: AuditService },
  registry: OpenAPIRegistry,
) {
  const routes = new RouteTable(registry);
  const tokenAdmin = { role: 'admin', everyEnvironment: true } as const;

  routes.add(
    {
      method: 'post',
      path: '/tokens',
      tag: 'access',
      summary: 'Create an API token; the answer holds it, and it is never shown again',
      body: tokenBodySchema,
      responses: { 201: { description: 'created', schema: createdTokenSchema } },
      access: tokenAdmin,
    },
    async ({ body, actor }) => {
      const expiresAt = body.expiresInDays
        ? new Date(Date.now() + body.expiresInDays * DAY_MS)
        : null;
      const { token, secret } = await services.tokens.create({ ...body, expiresAt }, actor);
      return { status: 201, body: { token: toToken(token), secret } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/tokens',
      tag: 'access',
      summary: 'List API tokens (never the tokens themselves)',
      responses: { 200: { description: 'the tokens', schema: tokenListSchema } },
      access: tokenAdmin,
    },
    async () => ({ status: 200, body: { tokens: (await services.tokens.list()).map(toToken) } }),
  );

  routes.add(
    {
      method: 'delete',
      path: '/tokens/{id}',
      tag: 'access',
      summary: 'Revoke an API token: it is refused from now on',
      params: tokenParamsSchema,
      responses: { 200: { description: 'revoked', schema: tokenSchema } },
      problems: [404],
      access: tokenAdmin,
    },
    async ({ params, actor }) => ({
      status: 200,
      body: toToken(await services.tokens.revoke(params.id, actor)),
    }),
  );

  routes.add(
    {
      method: 'get',
      path: '/audit-events',
      tag: 'access',
      summary: 'The audit log, newest first: who deployed, executed, resynced, managed tokens',
      description:
        'Events of the environments the token reaches; events of no environment (tokens, saved definitions) need a token that reaches every environment.',
      query: auditQuerySchema,
      responses: { 200: { description: 'one page of events', schema: auditListSchema } },
      access: { role: 'admin' },
    },
    async ({ query, principal }) => {
      const found = await services.audit.list(principal!, query);
      return {
        status: 200,
        body: { events: found.events.map(toAuditEvent), nextBefore: found.nextBefore },
      };
    },
  );

  return routes.router;
}
