import { z } from 'zod';

/** Records a resync may take: those that did not end in Success. */
export const resyncableStatuses = ['Failed', 'Unprocessed'] as const;

const sourceIdsSchema = z.array(z.string().min(1).max(4096)).min(1).max(10_000);

export const resyncSelectionSchema = z.union([
  z.strictObject({
    sourceIds: sourceIdsSchema.describe('these records, where they are Failed or Unprocessed'),
  }),
  z.strictObject({
    filter: z.strictObject({
      status: z.array(z.enum(resyncableStatuses)).min(1).optional(),
      node: z.string().min(1).optional(),
      sourceId: z
        .string()
        .min(1)
        .optional()
        .describe('case-insensitive substring of the source id'),
    }),
    excludeSourceIds: z.array(z.string().min(1)).max(10_000).optional(),
  }),
]);

export type ResyncSelection = z.infer<typeof resyncSelectionSchema>;

export interface ResyncProgress {
  id: string;
  deploymentId: string;
  requestId: string | null;
  selection: ResyncSelection;
  requestedBy: string | null;
  executionId: number | null;
  workflowId: string | null;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  total: number;
  pending: number;
  succeeded: number;
  failed: number;
  createdAt: Date;
  finishedAt: Date | null;
}
