import type { SourceItem, SourcePage } from '../connectors/connector';
import type { PreFailed } from './attempt-records';
import { storableText } from './storable-text';

/**
 * What a page holds for the ledger: its records, one per id (the same id twice in a page is one
 * record, the later occurrence being the newer data), and what failed before any attempt: the
 * source's rejects, and records whose id the ledger cannot store (it holds U+0000; their row
 * shows the id with ␀ instead).
 */
export function pageRecords(page: Pick<SourcePage, 'records' | 'rejects'>): {
  items: SourceItem[];
  preFailed: PreFailed[];
} {
  const byId = new Map<string, SourceItem>();
  const preFailed: PreFailed[] = page.rejects.map((r) => ({
    sourceId: r.locator,
    error: r.error,
    raw: r.raw,
  }));
  for (const record of page.records) {
    if (record.id.includes('\u0000')) {
      preFailed.push({
        sourceId: storableText(record.id),
        error: 'the record id holds a NUL character (U+0000), which the ledger cannot store',
        raw: record.data,
      });
      continue;
    }
    byId.delete(record.id);
    byId.set(record.id, record);
  }
  return { items: [...byId.values()], preFailed };
}
