export const recordStatuses = ['Success', 'Failed', 'Unprocessed'] as const;
export type RecordStatus = (typeof recordStatuses)[number];

/** What started an attempt on a record. */
export const attemptKinds = ['main', 'retry', 'resync'] as const;
export type AttemptKind = (typeof attemptKinds)[number];

export const executionStatuses = ['running', 'completed', 'failed', 'cancelled'] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];

/** Automatic retries a record gets after the attempt that failed it. */
export const MAX_AUTO_RETRIES = 4;
