import { stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import type {
  SourceConnector,
  SourceItem,
  SourceReader,
  SourceRecord,
  SourceReject,
} from '../connector';
import { laterMark } from '../../domain/high-water-mark';
import { FatalConnectorError } from '../connector-errors';
import { readRecordId, recordIdProblem } from '../record-id';
import { changedSince, readChangeMark } from './change-mark';
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
/**
 * A listing since a mark reads at most this many rows per page times the page size before it
 * hands back what it found, so a page of a large file with few changes still ends in bounded
 * time; the next page goes on from there.
 */
const SCANNED_ROWS_PER_RECORD = 20;

/**
 * Reads CSV (with a header line) and JSON Lines files, streamed, page by page. With
 * `updatedField`, a listing since a mark hands over only the records whose field is later
 * than it (the whole file is still read).
 */
export function createFileSource(options: FileSourceOptions): SourceConnector<FileSourceConfig> {
  return {
    type: 'file',
    configSchema: fileSourceConfigSchema,
    incremental: (config) => config.updatedField !== undefined,
    async openReader(config, idField) {
      const path = resolveInside(options.root, config.path);
      const format = config.format ?? (extname(path).toLowerCase() === '.csv' ? 'csv' : 'jsonl');
      const size = await fileSize(path, config.path);
      const rows = (from: FileCursor | null) =>
        format === 'csv'
          ? csvRows(path, from, config.delimiter)
          : jsonRows(path, from ?? { offset: 0, line: 1 }, options.maxRecordBytes);
      return new FileReader(rows, idField, config.updatedField ?? null, size, options);
    },
  };
}

class FileReader implements SourceReader {
  constructor(
    private readonly rows: (from: FileCursor | null) => AsyncGenerator<ParsedRow>,
    private readonly idField: string,
    private readonly updatedField: string | null,
    private readonly size: number,
    private readonly options: FileSourceOptions,
  ) {}

  async listPage(cursor: string | null, pageSize: number, since: string | null = null) {
    const from = cursor === null ? null : parseCursor(cursor);
    const records: SourceItem[] = [];
    const rejects: SourceReject[] = [];
    const changesOnly = this.updatedField !== null && since !== null;
    let highWaterMark: string | null = null;
    let scanned = 0;
    let last: ParsedRow | undefined;

    for await (const row of this.rows(from)) {
      last = row;
      scanned += 1;
      const item = this.toItem(row);
      if (!('id' in item)) rejects.push(item);
      else if (this.updatedField === null) records.push(item);
      else {
        const mark = readChangeMark(item.data, this.updatedField);
        if (!changesOnly || changedSince(mark, since)) {
          records.push(item);
          highWaterMark = laterMark(highWaterMark, mark);
        }
      }
      if (records.length + rejects.length >= pageSize) break;
      if (changesOnly && scanned >= pageSize * SCANNED_ROWS_PER_RECORD) break;
    }

    const done = last === undefined || last.next.offset >= this.size;
    const nextCursor = done ? null : JSON.stringify(last!.next);
    return this.updatedField === null
      ? { records, rejects, nextCursor }
      : { records, rejects, nextCursor, highWaterMark };
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
    const { maxRecordBytes } = this.options;
    if (Buffer.byteLength(row.raw) > maxRecordBytes) {
      return { locator, error: `record is larger than ${maxRecordBytes} bytes`, raw };
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
