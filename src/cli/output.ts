import Table from 'cli-table3';

/** Writes a line to stdout. */
export function print(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** A table with a header row, sized to its content; cells are text. */
export function table(head: string[], rows: (string | number | null | undefined)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] }, wordWrap: true });
  for (const row of rows)
    t.push(row.map((cell) => (cell === null || cell === undefined ? '' : String(cell))));
  return t.toString();
}

/** A timestamp as "2026-12-03 17:41:13Z"; empty for none. */
export function when(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 19).replace('T', ' ')}Z` : '';
}

/** Cuts a long text to `max` characters with an ellipsis. */
export function cut(text: string | null | undefined, max = 60): string {
  if (!text) return '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Deployment and record ids as one URL path segment. */
export const segment = (value: string | number) =>
  encodeURIComponent(String(value)).replace(/%40/g, '@');

/** `1 record`, `3 records`. */
export const recordCount = (n: number) => `${n} record${n === 1 ? '' : 's'}`;
