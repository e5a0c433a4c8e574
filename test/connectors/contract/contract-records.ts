import type { ConnectorErrorClass } from '../../../src/connectors/connector-errors';
import {
  FatalConnectorError,
  RecordConnectorError,
  TransientConnectorError,
} from '../../../src/connectors/connector-errors';

/** What the contract writes and reads: an id and a name, both text, so any medium can hold it. */
export type ContractRecord = { id: string; name: string };

const NFC = 'Zo\u00eb';
const NFD = 'Zoe\u0308';

/**
 * Ids that break naive code: URL and path syntax, percent signs, spaces at the edges, CSV
 * syntax, case twins, and the same word in two Unicode forms. Each must stay its own record.
 */
export const AWKWARD_IDS = [
  'a/b',
  'a/b/',
  'x#y',
  '100%',
  '%2F',
  'with space',
  ' leading',
  'trailing ',
  'comma,and "quotes"',
  'q?x=1&y=2',
  'plus+sign',
  'back\\slash',
  'MiXeD',
  'mixed',
  NFC,
  NFD,
  'ชื่อ',
  '名前',
  'emoji 🙂',
];

export const UNICODE_TWINS = { nfc: NFC, nfd: NFD };

/** `count` plain records followed by one per awkward id, names telling them apart. */
export function contractRecords(count: number, withAwkwardIds = true): ContractRecord[] {
  const plain = Array.from({ length: count }, (_, i) => ({
    id: `r${String(i + 1).padStart(3, '0')}`,
    name: `record ${i + 1}`,
  }));
  const awkward = withAwkwardIds
    ? AWKWARD_IDS.map((id, i) => ({ id, name: `awkward ${i + 1}` }))
    : [];
  return [...plain, ...awkward];
}

const CLASSES: Record<ConnectorErrorClass, new (...args: never[]) => Error> = {
  transient: TransientConnectorError,
  record: RecordConnectorError,
  fatal: FatalConnectorError,
};

/** Asserts that `work` fails with an error of the class, and answers that error. */
export async function expectConnectorError(
  work: () => Promise<unknown>,
  expected: ConnectorErrorClass,
): Promise<Error> {
  let thrown: unknown;
  try {
    await work();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`expected a ${expected} error, but nothing was thrown`);
  if (!(thrown instanceof CLASSES[expected])) {
    throw new Error(`expected a ${expected} error, got ${String(thrown)}`, { cause: thrown });
  }
  return thrown;
}
