import type { DestinationWriter, WriteItem } from '../../../src/connectors/connector';
import type { ConnectorErrorClass } from '../../../src/connectors/connector-errors';
import {
  AWKWARD_IDS,
  contractRecords,
  expectConnectorError,
  UNICODE_TWINS,
} from './contract-records';

/** A failure the connector must put in the right class, e.g. rejected credentials. */
export interface DestinationFault {
  name: string;
  expected: ConnectorErrorClass;
  /** Opens a writer on the faulty destination; opening or writing one record must fail. */
  open(): Promise<DestinationWriter>;
}

export interface DestinationSubject {
  /** A writer on a fresh, empty destination. Called once per check. */
  openWriter(): Promise<DestinationWriter>;
  /**
   * What the destination of the last opened writer holds: one entry per stored record, as
   * [source id, name]. A record stored twice appears twice.
   */
  stored(): Promise<[string, string][]>;
  /** Whether a later attempt (a new attempt key) replaces the record rather than adding one. */
  replacesAcrossAttempts: boolean;
  faults: DestinationFault[];
}

/**
 * The contract every destination connector keeps. Items are `{ key, name }` records whose
 * `key` is the source id; a record with a null name is one the destination refuses.
 */
export function describeDestinationContract(
  name: string,
  setup: () => Promise<DestinationSubject>,
) {
  describe(`${name} keeps the destination contract`, () => {
    let subject: DestinationSubject;
    const open: DestinationWriter[] = [];
    const openWriter = async () => {
      const writer = await subject.openWriter();
      open.push(writer);
      return writer;
    };

    beforeAll(async () => {
      subject = await setup();
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((writer) => writer.close()));
    });

    it('answers one outcome per item, in order, refusing only the bad ones', async () => {
      const writer = await openWriter();
      const batch = [item('a', 'Ada'), item('b', null), item('c', 'Cy'), item('d', null)];

      const outcomes = await writer.writeBatch(batch);

      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, false]);
      for (const outcome of outcomes.filter((o) => !o.ok)) {
        expect((outcome as { error: string }).error).toEqual(expect.any(String));
        expect((outcome as { error: string }).error.length).toBeGreaterThan(0);
      }
      expect(sortedPairs(await subject.stored())).toEqual([
        ['a', 'Ada'],
        ['c', 'Cy'],
      ]);
    });

    it('writes the same items twice as one record each', async () => {
      const writer = await openWriter();
      const batch = [item('a', 'Ada'), item('b', 'Bo')];

      await writer.writeBatch(batch);
      const again = await writer.writeBatch(batch);

      expect(again.every((o) => o.ok)).toBe(true);
      expect(sortedPairs(await subject.stored())).toEqual([
        ['a', 'Ada'],
        ['b', 'Bo'],
      ]);
    });

    it('replaces a record written again by a later attempt, if it upserts', async () => {
      const writer = await openWriter();

      await writer.writeBatch([item('a', 'first', 1)]);
      const later = await writer.writeBatch([item('a', 'second', 2)]);

      expect(later[0].ok).toBe(true);
      const stored = await subject.stored();
      if (subject.replacesAcrossAttempts) expect(stored).toEqual([['a', 'second']]);
      else
        expect(sortedPairs(stored)).toEqual([
          ['a', 'first'],
          ['a', 'second'],
        ]);
    });

    it('keeps awkward ids exactly, each its own record', async () => {
      const writer = await openWriter();
      const records = contractRecords(0);

      const outcomes = await writer.writeBatch(records.map((r) => item(r.id, r.name)));

      expect(outcomes.every((o) => o.ok)).toBe(true);
      const stored = await subject.stored();
      expect(sortedPairs(stored)).toEqual(sortedPairs(records.map((r) => [r.id, r.name])));
      const names = new Map(stored);
      expect(names.get(UNICODE_TWINS.nfc)).not.toEqual(names.get(UNICODE_TWINS.nfd));
      expect(stored).toHaveLength(AWKWARD_IDS.length);
    });

    it('answers an empty batch with no outcomes', async () => {
      const writer = await openWriter();

      expect(await writer.writeBatch([])).toEqual([]);
    });

    it('puts its failures in the right class', async () => {
      expect(subject.faults.length).toBeGreaterThan(0);
      for (const fault of subject.faults) {
        const write = async () => {
          const writer = await fault.open();
          open.push(writer);
          return writer.writeBatch([item('f', 'Fay')]);
        };
        const checked =
          fault.expected === 'record'
            ? write().then(([outcome]) => expect(outcome.ok).toBe(false))
            : expectConnectorError(write, fault.expected);
        await checked.catch((error: Error) => {
          throw new Error(`fault "${fault.name}": ${error.message}`, { cause: error });
        });
      }
    });
  });
}

/** A write of `{ key, name }` for a source id; the attempt number makes the attempt key. */
export function item(sourceId: string, name: string | null, attempt = 1): WriteItem {
  return {
    deploymentId: 'contract@test',
    sourceId,
    attemptKey: `contract@test/${sourceId}/${attempt}`,
    data: { key: sourceId, name },
  };
}

function sortedPairs(pairs: [string, string][]): [string, string][] {
  return [...pairs].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1));
}
