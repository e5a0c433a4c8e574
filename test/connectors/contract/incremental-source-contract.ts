import type { SourceItem, SourceReader } from '../../../src/connectors/connector';
import { laterMark } from '../../../src/domain/high-water-mark';
import { contractRecords } from './contract-records';

/** A contract record with its change mark: an ISO 8601 timestamp in UTC. */
export type MarkedRecord = { id: string; name: string; updated_at: string };

export interface IncrementalSource {
  /** Opens a reader on the source as it is now. */
  open(): Promise<SourceReader>;
  /** Changes these records at the source, giving each a later change mark than any so far. */
  change(ids: string[]): Promise<void>;
}

export interface IncrementalSourceSubject {
  /** Puts exactly these records in a fresh source. Called once per check. */
  create(records: MarkedRecord[]): Promise<IncrementalSource>;
}

interface Listing {
  items: SourceItem[];
  mark: string | null;
}

/**
 * The contract of incremental sources: a listing reports the highest change mark it handed
 * over, and a listing since a mark hands over exactly the records changed after it, whatever
 * the page size and across readers.
 */
export function describeIncrementalSourceContract(
  name: string,
  setup: () => Promise<IncrementalSourceSubject>,
) {
  describe(`${name} keeps the incremental source contract`, () => {
    let subject: IncrementalSourceSubject;
    const open: SourceReader[] = [];
    const reader = async (source: IncrementalSource) => {
      const opened = await source.open();
      open.push(opened);
      return opened;
    };

    beforeAll(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((r) => r.close()));
    });

    it('reports the highest mark of a full listing; nothing is newer than it', async () => {
      const source = await subject.create(markedRecords(8));

      const full = await listAll(await reader(source), 3, null);
      const since = await listAll(await reader(source), 3, full.mark);

      expect(full.items).toHaveLength(8);
      expect(full.mark).not.toBeNull();
      expect(since.items).toEqual([]);
    });

    it.each([1, 2, 5])(
      'lists exactly the records changed after a mark, with pages of %i',
      async (size) => {
        const source = await subject.create(markedRecords(8));
        const full = await listAll(await reader(source), 4, null);
        await source.change(['r003', 'r007']);

        const changed = await listAll(await reader(source), size, full.mark);

        expect(changed.items.map((i) => i.id).sort()).toEqual(['r003', 'r007']);
        expect(changed.items.find((i) => i.id === 'r003')?.data).toMatchObject({
          name: 'record 3 (changed)',
        });
        expect(laterMark(full.mark, changed.mark)).toBe(changed.mark);
        expect(changed.mark).not.toBe(full.mark);
      },
    );

    it('resumes a listing since a mark from its cursor in a new reader', async () => {
      const source = await subject.create(markedRecords(6));
      const full = await listAll(await reader(source), 6, null);
      await source.change(['r002', 'r004', 'r006']);

      const first = await (await reader(source)).listPage(null, 1, full.mark);
      const rest = await listAll(await reader(source), 1, full.mark, first.nextCursor);

      const ids = [...first.records, ...rest.items].map((i) => i.id).sort();
      expect(ids).toEqual(['r002', 'r004', 'r006']);
    });
  });
}

/** Records r001… with increasing change marks, a minute apart. */
export function markedRecords(count: number): MarkedRecord[] {
  return contractRecords(count, false).map((record, i) => ({
    ...record,
    updated_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
  }));
}

async function listAll(
  reader: SourceReader,
  pageSize: number,
  since: string | null,
  from: string | null = null,
): Promise<Listing> {
  const listing: Listing = { items: [], mark: since };
  let cursor = from;
  for (let pages = 0; pages < 100; pages++) {
    if (pages > 0 && cursor === null) return listing;
    const page = await reader.listPage(cursor, pageSize, since);
    listing.items.push(...page.records);
    listing.mark = laterMark(listing.mark, page.highWaterMark);
    cursor = page.nextCursor;
    if (cursor === null) return listing;
  }
  throw new Error('the listing did not end within 100 pages');
}
