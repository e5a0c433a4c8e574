import { createHash } from 'node:crypto';
import type { ProcessflowDefinition } from './processflow-definition';

/** Sorts object keys at every depth, so equal configs give equal text. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

/**
 * Which source a high-water mark belongs to: the connector and its config. A redeploy that
 * reads another table or API starts without a mark, so it reads everything once.
 */
export function sourceKeyOf(source: ProcessflowDefinition['source']): string {
  const text = JSON.stringify(canonical({ connector: source.connector, config: source.config }));
  return createHash('sha256').update(text).digest('hex');
}
