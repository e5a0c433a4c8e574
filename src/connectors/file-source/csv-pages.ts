import { createReadStream } from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import type { FileCursor } from './file-source-config';

export interface CsvRow {
  line: number;
  /** Values by column, or the parser's complaint about this row. */
  values: Record<string, string> | null;
  error?: string;
  raw: string;
  /** Where whatever follows this row starts. */
  next: FileCursor;
}

async function readHeader(
  path: string,
  delimiter: string,
): Promise<{ columns: string[]; end: number }> {
  const parser = createReadStream(path).pipe(
    parse({ bom: true, delimiter, to_line: 1, info: true, relax_column_count: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { bytes: number };
  }>) {
    parser.destroy();
    return { columns: record, end: info.bytes };
  }
  return { columns: [], end: 0 };
}

/**
 * Yields the rows of a CSV file with a header line, from a byte offset. A row whose column count
 * does not match the header is yielded with an error rather than stopping the file; so is a row
 * the parser cannot read at all (a stray or unclosed quote), after which reading goes on from
 * the next line.
 */
export async function* readCsvRows(
  path: string,
  from: FileCursor | null,
  delimiter: string,
): AsyncGenerator<CsvRow> {
  const header = await readHeader(path, delimiter);
  if (header.columns.length === 0) return;
  const start = from ?? { offset: header.end, line: 2 };

  let last = start;
  try {
    for await (const row of parseFrom(path, start, delimiter, header.columns)) {
      last = row.next;
      yield row;
    }
    return;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
  }
  // A broken row stops a parser, and the rows it had read ahead are lost with it: from the
  // last row handed out, rows are now parsed one at a time, so the broken one fails alone and
  // the file goes on after it.
  for (;;) {
    const next = await parseOne(path, last, delimiter, header.columns);
    if (next === null) return;
    last = next.next;
    yield next;
  }
}

/** The one row at a position, a row that cannot be parsed as an error, or null at the end. */
async function parseOne(
  path: string,
  from: FileCursor,
  delimiter: string,
  columns: string[],
): Promise<CsvRow | null> {
  try {
    for await (const row of parseFrom(path, from, delimiter, columns, 1)) return row;
    return null;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const broken = await lineFrom(path, from);
    if (broken === null) return null;
    const reason = error.message.split(':')[0];
    return { ...broken, values: null, error: `row cannot be read as CSV (${reason})` };
  }
}

async function* parseFrom(
  path: string,
  start: FileCursor,
  delimiter: string,
  columns: string[],
  to?: number,
): AsyncGenerator<CsvRow> {
  const options = { delimiter, info: true, raw: true, relax_column_count: true };
  const parser = createReadStream(path, { start: start.offset }).pipe(
    parse({ ...options, skip_empty_lines: true, ...(to ? { to } : {}) }),
  );
  type Parsed = { record: string[]; raw: string; info: { bytes: number; lines: number } };
  // The parser's raw text of a row includes blank lines skipped before it and its own line
  // breaks, so counting newlines in it gives each row's first line exactly.
  let nextLine = start.line;
  for await (const { record, raw, info } of parser as AsyncIterable<Parsed>) {
    const line = nextLine + countNewlines(/^[\r\n]*/.exec(raw)?.[0] ?? '');
    nextLine += countNewlines(raw);
    const next = { offset: start.offset + info.bytes, line: nextLine };
    if (record.length !== columns.length) {
      const error = `row has ${record.length} fields, the header has ${columns.length}`;
      yield { line, values: null, error, raw: raw.trim(), next };
      continue;
    }
    const values: Record<string, string> = {};
    columns.forEach((column, i) => (values[column] = record[i]));
    yield { line, values, raw: raw.trim(), next };
  }
}

/** The first non-blank line from a position: its number, text and where the next one starts. */
async function lineFrom(
  path: string,
  from: FileCursor,
): Promise<{ line: number; raw: string; next: FileCursor } | null> {
  let offset = from.offset;
  let line = from.line;
  let pending = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { start: from.offset })) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    for (let newline = pending.indexOf(0x0a); newline !== -1; newline = pending.indexOf(0x0a)) {
      const text = pending.subarray(0, newline).toString('utf8').replace(/\r$/, '');
      offset += newline + 1;
      pending = pending.subarray(newline + 1);
      if (text.trim() !== '') return { line, raw: text, next: { offset, line: line + 1 } };
      line += 1;
    }
  }
  const rest = pending.toString('utf8').trim();
  if (rest === '') return null;
  return { line, raw: rest, next: { offset: offset + pending.length, line: line + 1 } };
}

function countNewlines(text: string): number {
  let count = 0;
  for (const char of text) if (char === '\n') count += 1;
  return count;
}
