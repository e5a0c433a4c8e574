import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
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
 * does not match the header is yielded with an error rather than stopping the file.
 */
export async function* readCsvRows(
  path: string,
  from: FileCursor | null,
  delimiter: string,
): AsyncGenerator<CsvRow> {
  const header = await readHeader(path, delimiter);
  if (header.columns.length === 0) return;
  const start = from ?? { offset: header.end, line: 2 };

  const parser = createReadStream(path, { start: start.offset }).pipe(
    parse({ delimiter, info: true, raw: true, relax_column_count: true, skip_empty_lines: true }),
  );
  type Parsed = { record: string[]; raw: string; info: { bytes: number; lines: number } };
  // The parser's raw text of a row includes blank lines skipped before it and its own line
  // breaks, so counting newlines in it gives each row's first line exactly.
  let nextLine = start.line;
  for await (const { record, raw, info } of parser as AsyncIterable<Parsed>) {
    const line = nextLine + countNewlines(/^[\r\n]*/.exec(raw)?.[0] ?? '');
    nextLine += countNewlines(raw);
    const next = { offset: start.offset + info.bytes, line: nextLine };
    if (record.length !== header.columns.length) {
      const error = `row has ${record.length} fields, the header has ${header.columns.length}`;
      yield { line, values: null, error, raw: raw.trim(), next };
      continue;
    }
    const values: Record<string, string> = {};
    header.columns.forEach((column, i) => (values[column] = record[i]));
    yield { line, values, raw: raw.trim(), next };
  }
}

function countNewlines(text: string): number {
  let count = 0;
  for (const char of text) if (char === '\n') count += 1;
  return count;
}
