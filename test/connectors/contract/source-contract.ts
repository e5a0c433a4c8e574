import type { SourceItem, SourceReader } from '../../../src/connectors/connector';
import type { ConnectorErrorClass } from '../../../src/connectors/connector-errors';
import {
  AWKWARD_IDS,
  type ContractRecord,
  contractRecords,
  expectConnectorError,
  UNICODE_TWINS,
} from './contract-records';

/** A failure the connector must put in the right class, e.g. an unreachable server. */
export interface SourceFault {
  name: string;
  expected: Exclude<ConnectorErrorClass, 'record'>;
  /** Opens a reader on the faulty source; opening or the first page must fail. */
  open(): Promise<SourceReader>;
}

export interface SourceSubject {
  /**
   * Puts exactly these records, in this order, in a fresh source and opens a reader on it,
   * reading ids from the field "id". Called once per check.
   */
  openWith(records: ContractRecord[]): Promise<SourceReader>;
  faults: SourceFault[];
}

/**
 * The contract every source connector keeps. Call it from the connector's test file with a
 * setup that answers a subject; it adds one describe block of checks.
 */
export function describeSourceContract(name: string, setup: () => Promise<SourceSubject>) {
  describe(`${name} keeps the source contract`, () => {
    let subject: SourceSubject;
    const open: SourceReader[] = [];
    const openWith = async (records: ContractRecord[]) => {
      const reader = await subject.openWith(records);
      open.push(reader);
      return reader;
    };

    beforeAll(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((reader) => reader.close()));
    });

    it.each([1, 3, 7, 100])('lists every record exactly once with pages of %i', async (size) => {
      const records = contractRecords(12);
      const reader = await openWith(records);

      const listed = await readAll(reader, size, records.length + 2);

      expect(listed.rejects).toEqual([]);
      expect(sorted(listed.items.map((i) => i.id))).toEqual(sorted(records.map((r) => r.id)));
      for (const item of listed.items) {
        expect(item.data).toMatchObject(records.find((r) => r.id === item.id)!);
      }
    });

    it('lists an empty source as one empty, final page', async () => {
      const reader = await openWith([]);

      const page = await reader.listPage(null, 10);

      expect(page).toEqual({ records: [], rejects: [], nextCursor: null });
    });

    it('resumes from a cursor in a new reader, as a retried activity does', async () => {
      const records = contractRecords(10, false);
      const first = await openWith(records);
      const page1 = await first.listPage(null, 4);
      const againFromFirst = await first.listPage(page1.nextCursor, 4);

      const second = await openWith(records);
      const fromSecond = await second.listPage(page1.nextCursor, 4);
      const replayed = await second.listPage(page1.nextCursor, 4);

      expect(page1.nextCursor).not.toBeNull();
      expect(ids(fromSecond.records)).toEqual(ids(againFromFirst.records));
      expect(ids(replayed.records)).toEqual(ids(fromSecond.records));
      expect(ids(fromSecond.records)).toHaveLength(4);
      expect(ids(page1.records).some((id) => ids(fromSecond.records).includes(id))).toBe(false);
    });

    it('keeps awkward ids exactly, each its own record', async () => {
      const records = contractRecords(0);
      const reader = await openWith(records);

      const listed = await readAll(reader, 5, records.length + 2);

      expect(sorted(listed.items.map((i) => i.id))).toEqual(sorted(AWKWARD_IDS));
      const nfc = listed.items.find((i) => i.id === UNICODE_TWINS.nfc);
      const nfd = listed.items.find((i) => i.id === UNICODE_TWINS.nfd);
      expect(nfc?.data.name).not.toEqual(nfd?.data.name);
    });

    it('finds present ids and omits missing ones', async () => {
      const records = contractRecords(5);
      const reader = await openWith(records);
      const wanted = ['r002', 'r005', 'not-there', 'line 3', ...AWKWARD_IDS];

      const found = await reader.getByIds(wanted);

      expect(sorted([...found.keys()])).toEqual(sorted(['r002', 'r005', ...AWKWARD_IDS]));
      expect(found.get('r005')).toMatchObject({ id: 'r005', name: 'record 5' });
      expect(await reader.getByIds([])).toEqual(new Map());
    });

    it('tells Unicode twins apart in getByIds', async () => {
      const records = contractRecords(0);
      const reader = await openWith(records);
      const expected = (id: string) => records.find((r) => r.id === id)!.name;

      const nfc = await reader.getByIds([UNICODE_TWINS.nfc]);
      const nfd = await reader.getByIds([UNICODE_TWINS.nfd]);

      expect([...nfc.keys()]).toEqual([UNICODE_TWINS.nfc]);
      expect([...nfd.keys()]).toEqual([UNICODE_TWINS.nfd]);
      expect(nfc.get(UNICODE_TWINS.nfc)?.name).toBe(expected(UNICODE_TWINS.nfc));
      expect(nfd.get(UNICODE_TWINS.nfd)?.name).toBe(expected(UNICODE_TWINS.nfd));
    });

    it('puts its failures in the right class', async () => {
      expect(subject.faults.length).toBeGreaterThan(0);
      for (const fault of subject.faults) {
        await expectConnectorError(async () => {
          const reader = await fault.open();
          open.push(reader);
          await reader.listPage(null, 10);
        }, fault.expected).catch((error: Error) => {
          throw new Error(`fault "${fault.name}": ${error.message}`, { cause: error });
        });
      }
    });
  });
}

/** Every page from the start; fails if the source never says it is done. */
export async function readAll(reader: SourceReader, pageSize: number, maxPages: number) {
  const items: SourceItem[] = [];
  const rejects: unknown[] = [];
  let cursor: string | null = null;
  for (let pages = 0; ; pages++) {
    if (pages > maxPages) throw new Error(`still paging after ${maxPages} pages`);
    const page = await reader.listPage(cursor, pageSize);
    items.push(...page.records);
    rejects.push(...page.rejects);
    if (page.nextCursor === null) return { items, rejects };
    cursor = page.nextCursor;
  }
}

const ids = (items: SourceItem[]) => items.map((i) => i.id);

/** Sorted by UTF-16 code units, so Unicode twins stay apart and in a fixed order. */
const sorted = (values: string[]) => [...values].sort();
