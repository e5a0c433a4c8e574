import { createReadStream } from 'node:fs';
import type { FileCursor } from './file-source-config';

export interface RawLine {
  line: number;
  text: string;
  /** Where whatever follows this line starts. */
  next: FileCursor;
}

/**
 * Yields the lines of a JSON Lines file from a byte offset, tracking byte positions exactly so
 * that a page can resume where the last one stopped. Blank lines are skipped.
 */
export async function* readLines(path: string, from: FileCursor): AsyncGenerator<RawLine> {
  let offset = from.offset;
  let line = from.line;
  let pending: Buffer = Buffer.alloc(0);

  for await (const chunk of createReadStream(path, { start: from.offset })) {
    pending = pending.length === 0 ? (chunk as Buffer) : Buffer.concat([pending, chunk as Buffer]);
    let newline = pending.indexOf(0x0a);
    while (newline !== -1) {
      const raw = pending.subarray(0, newline);
      offset += newline + 1;
      const text = raw.toString('utf8').replace(/\r$/, '');
      if (text.trim() !== '') yield { line, text, next: { offset, line: line + 1 } };
      line += 1;
      pending = pending.subarray(newline + 1);
      newline = pending.indexOf(0x0a);
    }
  }

  const rest = pending.toString('utf8').replace(/\r$/, '');
  if (rest.trim() !== '') {
    yield { line, text: rest, next: { offset: offset + pending.length, line: line + 1 } };
  }
}
