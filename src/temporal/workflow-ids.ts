import { createHash } from 'node:crypto';

/** Temporal's default limit on workflow ids is 1000 bytes; long source ids are hashed. */
const MAX_ID_BYTES = 900;

/** record-retry/<deployment>/<source id>: findable in the Temporal UI by the record's id. */
export function lifecycleWorkflowId(deploymentId: string, sourceId: string): string {
  const id = `record-retry/${deploymentId}/${sourceId}`;
  if (Buffer.byteLength(id) <= MAX_ID_BYTES) return id;
  const hash = createHash('sha256').update(sourceId).digest('hex');
  return `record-retry/${deploymentId}/sha256-${hash}`;
}

/** retry-slots/<deployment>: the workflow that runs a deployment's retry slots. */
export function coordinatorWorkflowId(deploymentId: string): string {
  return `retry-slots/${deploymentId}`;
}

/** run-schedule/<deployment>: the Temporal Schedule of a deployment's main runs. */
export function runScheduleId(deploymentId: string): string {
  return `run-schedule/${deploymentId}`;
}

/** The prefix of the workflows a run schedule starts; Temporal appends the time each was due. */
export function scheduledRunWorkflowId(deploymentId: string): string {
  return `scheduled-run/${deploymentId}`;
}
