import { z } from 'zod';
import { type ApiToken, roles, tokenNameSchema } from '../../domain/access';
import { AUDIT_ACTIONS } from '../../domain/audit-actions';
import { slugSchema } from '../../domain/processflow-definition';
import type { AuditEvent } from '../../stores/audit-store';
import {
  limitSchema,
  numericIdSchema,
  timestampSchema,
  toIso,
  toIsoOrNull,
} from './common-schemas';

export const tokenBodySchema = z
  .strictObject({
    name: tokenNameSchema.describe('who or what holds the token; the audit log shows it'),
    role: z.enum(roles),
    environments: z
      .array(slugSchema)
      .min(1)
      .max(100)
      .optional()
      .describe('the environments it reaches; omitted: all'),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .meta({ id: 'TokenRequest' });

export const tokenParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'a token id: 16 hexadecimal digits')
    .describe('token id'),
});

export const tokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(roles),
    environments: z.array(z.string()).nullable().describe('null: every environment'),
    createdAt: timestampSchema,
    createdBy: z.string(),
    expiresAt: timestampSchema.nullable(),
    revokedAt: timestampSchema.nullable(),
    lastUsedAt: timestampSchema.nullable(),
  })
  .meta({ id: 'Token' });

export const createdTokenSchema = z
  .object({
    token: tokenSchema,
    secret: z.string().describe('the token to send as "Authorization: Bearer …"; shown only once'),
  })
  .meta({ id: 'CreatedToken' });

export const tokenListSchema = z.object({ tokens: z.array(tokenSchema) });

export const auditQuerySchema = z.strictObject({
  environment: slugSchema.optional(),
  action: z.enum(AUDIT_ACTIONS).optional().describe('one kind of event, e.g. deployment.deploy'),
  limit: limitSchema,
  before: numericIdSchema.optional().describe('the nextBefore of the previous page'),
});

export const auditListSchema = z
  .object({
    events: z.array(
      z.object({
        id: z.number().int(),
        at: timestampSchema,
        actor: z.string().describe('the token name, or the part of the system that acted'),
        actorTokenId: z.string().nullable(),
        action: z.string(),
        environment: z.string().nullable(),
        target: z.string(),
        details: z.record(z.string(), z.unknown()),
      }),
    ),
    nextBefore: z.number().int().nullable(),
  })
  .meta({ id: 'AuditEvents' });

export function toToken(token: ApiToken): z.infer<typeof tokenSchema> {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    environments: token.environments,
    createdAt: toIso(token.createdAt),
    createdBy: token.createdBy,
    expiresAt: toIsoOrNull(token.expiresAt),
    revokedAt: toIsoOrNull(token.revokedAt),
    lastUsedAt: toIsoOrNull(token.lastUsedAt),
  };
}

export function toAuditEvent(event: AuditEvent) {
  return { ...event, at: toIso(event.at) };
}
