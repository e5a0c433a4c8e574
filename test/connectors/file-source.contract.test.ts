import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileSource } from '../../src/connectors/file-source/file-source';
import type { ContractRecord } from './contract/contract-records';
import { openSource } from './contract/connector-context';
import {
  describeIncrementalSourceContract,
  type MarkedRecord,
} from './contract/incremental-source-contract';
import { describeSourceContract, type SourceSubject } from './contract/source-contract';

let root: string;
let files = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'file-source-contract-'));
});

afterAll(() => rm(root, { recursive: true, force: true }));

const source = () => createFileSource({ root, maxRecordBytes: 64 * 1024 });

function subject(extension: string, render: (records: ContractRecord[]) => string): SourceSubject {
  return {
    async openWith(records) {
      const path = `contract-${++files}.${extension}`;
      await writeFile(join(root, path), render(records));
      return openSource(source(), { path });
    },
    faults: [
      {
        name: 'a missing file',
        expected: 'fatal',
        open: () => openSource(source(), { path: `missing.${extension}` }),
      },
    ],
  };
}

const csvField = (text: string) => `"${text.replace(/"/g, '""')}"`;

describeSourceContract('file source (JSON Lines)', async () =>
  subject('jsonl', (records) => records.map((r) => `${JSON.stringify(r)}\n`).join('')),
);

describeSourceContract('file source (CSV)', async () =>
  subject('csv', (records) =>
    ['id,name', ...records.map((r) => `${csvField(r.id)},${csvField(r.name)}`)].join('\r\n'),
  ),
);

describeIncrementalSourceContract('file source (JSON Lines, updatedField)', async () => ({
  async create(records) {
    const path = `changes-${++files}.jsonl`;
    let current: MarkedRecord[] = records;
    const write = () =>
      writeFile(join(root, path), current.map((r) => `${JSON.stringify(r)}\n`).join(''));
    await write();
    return {
      open: () => openSource(source(), { path, updatedField: 'updated_at' }),
      async change(ids) {
        // A millisecond past the latest mark: the file source keeps marks to the millisecond.
        const latest = Math.max(...current.map((r) => Date.parse(r.updated_at)));
        const changedAt = new Date(latest + 1).toISOString();
        current = current.map((r) =>
          ids.includes(r.id) ? { ...r, name: `${r.name} (changed)`, updated_at: changedAt } : r,
        );
        await write();
      },
    };
  },
}));

describeIncrementalSourceContract('file source (CSV, integer updatedField)', async () => ({
  async create(records) {
    const path = `changes-${++files}.csv`;
    let current = records.map((r, i) => ({ id: r.id, name: r.name, version: i + 1 }));
    const write = () =>
      writeFile(
        join(root, path),
        [
          'id,name,version',
          ...current.map((r) => `${csvField(r.id)},${csvField(r.name)},${r.version}`),
        ].join('\n'),
      );
    await write();
    return {
      open: () => openSource(source(), { path, updatedField: 'version' }),
      async change(ids) {
        let version = Math.max(...current.map((r) => r.version));
        current = current.map((r) =>
          ids.includes(r.id) ? { ...r, name: `${r.name} (changed)`, version: ++version } : r,
        );
        await write();
      },
    };
  },
}));

describe('file source change marks', () => {
  it('lists records whose mark is missing or unreadable in every listing since a mark', async () => {
    const path = `unmarked-${++files}.jsonl`;
    const lines = [
      { id: 'a', updated_at: '2026-01-01T00:00:00Z' },
      { id: 'b' },
      { id: 'c', updated_at: 'yesterday' },
      { id: 'd', updated_at: '2026-01-01T01:00:00+01:00' },
    ];
    await writeFile(join(root, path), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const reader = await openSource(source(), { path, updatedField: 'updated_at' });

    const full = await reader.listPage(null, 10, null);
    const since = await reader.listPage(null, 10, full.highWaterMark);

    expect(full.highWaterMark).toBe('2026-01-01T00:00:00.000Z');
    expect(since.records.map((r) => r.id)).toEqual(['b', 'c']);
  });

  it('ends a page of a listing since a mark after a bounded scan, and goes on from there', async () => {
    const path = `sparse-${++files}.jsonl`;
    const lines = Array.from({ length: 100 }, (_, i) => ({
      id: `r${i}`,
      updated_at: new Date(Date.UTC(2026, 0, 1, 0, i === 90 ? 59 : 0)).toISOString(),
    }));
    await writeFile(join(root, path), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const reader = await openSource(source(), { path, updatedField: 'updated_at' });

    const first = await reader.listPage(null, 2, '2026-01-01T00:30:00.000Z');
    const second = await reader.listPage(first.nextCursor, 2, '2026-01-01T00:30:00.000Z');
    const third = await reader.listPage(second.nextCursor, 2, '2026-01-01T00:30:00.000Z');

    expect(first.records).toEqual([]);
    expect(first.nextCursor).not.toBeNull();
    expect([...second.records, ...third.records].map((r) => r.id)).toEqual(['r90']);
  });
});

describe('file source config', () => {
  it('refuses paths that leave the file source root, when the definition is saved', () => {
    const { configSchema } = source();

    for (const path of ['../elsewhere.jsonl', 'a/../../b.csv', '/etc/passwd', 'a\\..\\b.csv']) {
      expect(configSchema.safeParse({ path }).success).toBe(false);
    }
    expect(configSchema.safeParse({ path: 'nested/ok.jsonl' }).success).toBe(true);
  });
});
