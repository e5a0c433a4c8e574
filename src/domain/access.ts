import { z } from 'zod';

/** What a token may do; each role may also do everything the roles before it may. */
export const roles = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof roles)[number];

/**
 * viewer: read Sync Info, snapshots and executions; operator: also execute and resync;
 * admin: also save definitions, deploy, manage environments and tokens, read the audit log.
 */
export function roleAllows(held: Role, needed: Role): boolean {
  return roles.indexOf(held) >= roles.indexOf(needed);
}

/** The caller of a request, as its token tells. `environments` null: every environment. */
export interface Principal {
  tokenId: string;
  name: string;
  role: Role;
  environments: string[] | null;
}

/** Who did something, for the audit log: a token, or the system itself (scripts, schedules). */
export type Actor =
  { kind: 'token'; tokenId: string; name: string } | { kind: 'system'; name: string };

export const systemActor = (name: string): Actor => ({ kind: 'system', name });

export function actorOf(principal: Principal): Actor {
  return { kind: 'token', tokenId: principal.tokenId, name: principal.name };
}

export function inScope(principal: Principal, environment: string): boolean {
  return principal.environments === null || principal.environments.includes(environment);
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  environments: string[] | null;
  createdAt: Date;
  createdBy: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export const tokenNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w .@-]+$/, 'use letters, digits, spaces and . _ @ -');

/** The environment a deployment id names: `<processflow>@<environment>`. */
export function environmentOfDeployment(deploymentId: string): string | null {
  const at = deploymentId.lastIndexOf('@');
  return at > 0 ? deploymentId.slice(at + 1) : null;
}
