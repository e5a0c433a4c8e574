/** What the audit log records: who deployed, ran, resynced or changed access, and when. */
export const AUDIT_ACTIONS = [
  'environment.create',
  'environment.update',
  'processflow.save',
  'deployment.deploy',
  'deployment.redeploy',
  'deployment.undeploy',
  'execution.start',
  'execution.cancel',
  'resync.start',
  'schedule.set',
  'schedule.remove',
  'schedule.pause',
  'schedule.resume',
  'schedule.trigger',
  'report.configure',
  'report.run',
  'token.create',
  'token.revoke',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
