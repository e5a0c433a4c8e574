import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileSource } from '../../src/connectors/file-source/file-source';
import type { ContractRecord } from './contract/contract-records';
import { openSource } from './contract/connector-context';
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

describe('file source config', () => {
  it('refuses paths that leave the file source root, when the definition is saved', () => {
    const { configSchema } = source();

    for (const path of ['../elsewhere.jsonl', 'a/../../b.csv', '/etc/passwd', 'a\\..\\b.csv']) {
      expect(configSchema.safeParse({ path }).success).toBe(false);
    }
    expect(configSchema.safeParse({ path: 'nested/ok.jsonl' }).success).toBe(true);
  });
});
