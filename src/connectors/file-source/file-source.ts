import { stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import type {
  SourceConnector,
  SourceItem,
  SourceReader,
  SourceRecord,
  SourceReject,
} from '../connector';
import { FatalConnectorError } from '../connector-errors';
import { readRecordId, recordIdProblem } from '../record-id';
import { readCsvRows } from './csv-pages';
import {
  type FileCursor,
  type FileSourceConfig,
  fileCursorSchema,
  fileSourceConfigSchema,
} from './file-source-config';
import { readLines } from './jsonl-pages';

export interface FileSourceOptions {
  /** Files are read only from inside this directory. */
  root: string;
  /** A record larger than this becomes a reject instead of a record. */
  maxRecordBytes: number;
}

interface ParsedRow {
  line: number;
  next: FileCursor;
  record?: SourceRecord;
  error?: string;
  raw: string;
}

const PREVIEW_CHARS = 200;

/** Reads CSV (with a header line) and JSON Lines files, streamed, page by page. */
export function createFileSource(options: FileSourceOptions): SourceConnector<FileSourceConfig> {
  return {
    type: 'file',
    configSchema: fileSourceConfigSchema,
    async openReader(config, idField) {
      const path = resolveInside(options.root, config.path);
      const format = config.format ?? (extname(path).toLowerCase() === '.csv' ? 'csv' : 'jsonl');
      const size = await fileSize(path, config.path);
      const rows = (from: FileCursor | null) =>
        format === 'csv'
          ? csvRows(path, from, config.delimiter)
          : jsonRows(path, from ?? { offset: 0, line: 1 }, options.maxRecordBytes);
      return new FileReader(rows, idField, size, options.maxRecordBytes);
    },
  };
}

class FileReader implements SourceReader {
  constructor(
    private readonly rows: (from: FileCursor | null) => AsyncGenerator<ParsedRow>,
    private readonly idField: string,
    private readonly size: number,
    private readonly maxRecordBytes: number,
  ) {}

  async listPage(cursor: string | null, pageSize: number) {
    const from = cursor === null ? null : parseCursor(cursor);
    const records: SourceItem[] = [];
    const rejects: SourceReject[] = [];
    let last: ParsedRow | undefined;

    for await (const row of this.rows(from)) {
      last = row;
      const item = this.toItem(row);
      if ('id' in item) records.push(item);
      else rejects.push(item);
      if (records.length + rejects.length >= pageSize) break;
    }

    const done = last === undefined || last.next.offset >= this.size;
    return { records, rejects, nextCursor: done ? null : JSON.stringify(last!.next) };
  }

  async getByIds(ids: string[]) {
    const wanted = new Set(ids);
    const found = new Map<string, SourceRecord>();
    for await (const row of this.rows(null)) {
      if (!row.record) continue;
      const id = readRecordId(row.record, this.idField);
      if (id !== null && wanted.has(id)) found.set(id, row.record);
    }
    return found;
  }

  async close() {}

  private toItem(row: ParsedRow): SourceItem | SourceReject {
    const locator = `line ${row.line}`;
    const raw = row.raw.slice(0, PREVIEW_CHARS);
    if (row.error) return { locator, error: row.error, raw };
    if (Buffer.byteLength(row.raw) > this.maxRecordBytes) {
      return { locator, error: `record is larger than ${this.maxRecordBytes} bytes`, raw };
    }
    const id = readRecordId(row.record!, this.idField);
    if (id === null) return { locator, error: `record has no id in field "${this.idField}"`, raw };
    const problem = recordIdProblem(id);
    if (problem !== null) return { locator, error: problem, raw };
    return { id, data: row.record! };
  }
}

async function* csvRows(
  path: string,
  from: FileCursor | null,
  delimiter: string,
): AsyncGenerator<ParsedRow> {
  for await (const { line, next, raw, values, error } of readCsvRows(path, from, delimiter)) {
    yield values ? { line, next, raw, record: values } : { line, next, raw, error };
  }
}

async function* jsonRows(
  path: string,
  from: FileCursor,
  maxRecordBytes: number,
): AsyncGenerator<ParsedRow> {
  for await (const { line, text, next } of readLines(path, from)) {
    if (Buffer.byteLength(text) > maxRecordBytes) {
      yield { line, next, raw: text, error: `record is larger than ${maxRecordBytes} bytes` };
      continue;
    }
    yield { line, next, raw: text, ...parseJsonObject(text) };
  }
}

function parseJsonObject(text: string): { record?: SourceRecord; error?: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { error: 'line is JSON but not an object' };
    }
    return { record: value as SourceRecord };
  } catch (error) {
    return { error: `line is not valid JSON: ${(error as Error).message}` };
  }
}

function parseCursor(cursor: string): FileCursor {
  const parsed = fileCursorSchema.safeParse(safeJson(cursor));
  if (!parsed.success) throw new FatalConnectorError(`file source cursor is not valid: ${cursor}`);
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function resolveInside(root: string, path: string): string {
  const full = resolve(root, path);
  const inside = relative(resolve(root), full);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new FatalConnectorError(`file "${path}" is outside the file source root`);
  }
  return full;
}

async function fileSize(path: string, shownAs: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    throw new FatalConnectorError(`file "${shownAs}" cannot be read from the file source root`);
  }
}
