import {
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { waitOrTimeout } from './wait-or-timeout';
import { nextRetryAtKey, retryStateKey } from './search-attributes';
import {
  lifecycleStateQuery,
  pauseLifecycleSignal,
  type RecordStanding,
  recordAttemptedSignal,
} from './retry-messages';

export interface LifecycleInput {
  deploymentId: string;
  sourceId: string;
  standing: RecordStanding;
  /** Wakes without news so far; each one doubles the next quiet wait. */
  quietWakes?: number;
}

export type LifecycleEnd = 'succeeded' | 'exhausted' | 'paused' | 'stopped';

/** How long after its planned retry a lifecycle waits for news before reading the ledger. */
const GRACE_MS = 15 * 60_000;
const MAX_QUIET_WAIT_MS = 24 * 3_600_000;

const { readRecordStanding } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute' },
});

/**
 * The retry lifecycle of one failed record: it lives while the record waits for automatic
 * retries, shows in the Temporal UI where it stands (RetryState, NextRetryAt), and ends when the
 * record succeeds, exhausts its four retries, or the deployment leaves auto mode. Retry runs and
 * resyncs tell it each outcome; if news is late it waits on a timer past the planned retry and
 * then reads the ledger, which is always right.
 */
export async function recordRetryLifecycle(input: LifecycleInput): Promise<LifecycleEnd> {
  let standing = input.standing;
  let quietWakes = input.quietWakes ?? 0;
  const inbox: RecordStanding[] = [];
  let paused = false;
  setHandler(recordAttemptedSignal, (news) => void inbox.push(news));
  setHandler(pauseLifecycleSignal, () => void (paused = true));
  setHandler(lifecycleStateQuery, () => standing);

  for (;;) {
    const end = endOf(standing, paused);
    show(standing, end);
    if (end) return end;

    const heard = await waitOrTimeout(
      () => inbox.length > 0 || paused,
      quietWait(standing, quietWakes),
    );
    if (heard) {
      quietWakes = 0;
      for (const news of inbox.splice(0)) if (news.tries >= standing.tries) standing = news;
    } else {
      quietWakes += 1;
      standing = await readRecordStanding({
        deploymentId: input.deploymentId,
        sourceId: input.sourceId,
      });
    }

    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 2_000) {
      return continueAsNew<typeof recordRetryLifecycle>({ ...input, standing, quietWakes });
    }
  }
}

function endOf(standing: RecordStanding, paused: boolean): LifecycleEnd | null {
  if (paused || standing.retryState === 'paused') return 'paused';
  if (standing.status === 'Success') return 'succeeded';
  if (standing.retryState === 'exhausted') return 'exhausted';
  if (standing.retryState === null) return 'stopped';
  return null;
}

function quietWait(standing: RecordStanding, quietWakes: number): number {
  const planned = standing.nextRetryAt ? Date.parse(standing.nextRetryAt) : Date.now();
  const wait = Math.max(planned - Date.now(), 0) + GRACE_MS * 2 ** Math.min(quietWakes, 10);
  return Math.min(wait, MAX_QUIET_WAIT_MS);
}

function show(standing: RecordStanding, end: LifecycleEnd | null) {
  const next = !end && standing.nextRetryAt ? new Date(standing.nextRetryAt) : null;
  upsertSearchAttributes([
    { key: retryStateKey, value: end ?? standing.retryState ?? 'stopped' },
    { key: nextRetryAtKey, value: next },
  ]);
}
