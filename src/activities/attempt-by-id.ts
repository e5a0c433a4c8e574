import type { AttemptCounts, AttemptContext } from '../pipeline/attempt-records';
import { attemptRecords } from '../pipeline/attempt-records';
import type { OpenFlow } from '../pipeline/flow-runtime';
import type { ActivityDeps } from './activity-deps';
import type { Run } from './attempt-context';
import { toNews } from './lifecycle-news';

/**
 * Attempts records by source id, fetching each again from the source so that data fixed there
 * is what gets written. A record the source no longer has fails with an error that says so.
 */
export async function attemptById(
  deps: ActivityDeps,
  run: Run,
  flow: OpenFlow,
  ctx: AttemptContext,
  sourceIds: string[],
): Promise<AttemptCounts> {
  const found = await flow.reader.getByIds(sourceIds);
  const items = sourceIds.filter((id) => found.has(id)).map((id) => ({ id, data: found.get(id)! }));
  const gone = sourceIds
    .filter((id) => !found.has(id))
    .map((id) => ({
      sourceId: id,
      error: `record "${id}" is no longer in the source (${run.definition.source.connector} connector)`,
      retryable: true,
    }));

  const counts = await attemptRecords(deps, ctx, items, gone);
  await deps.notifier.tell(run.deployment, toNews(counts.notices));
  return counts;
}
