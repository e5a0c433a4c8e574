const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface UpsertTarget {
  schema: string;
  table: string;
  key: string[];
}

/** INSERT … ON CONFLICT DO UPDATE for rows that all have the given columns. */
export function buildUpsert(target: UpsertTarget, columns: string[], rows: unknown[][]) {
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = row.map((value) => {
      values.push(value);
      return `$${values.length}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  const updates = columns.filter((c) => !target.key.includes(c));
  const onConflict =
    updates.length === 0
      ? 'do nothing'
      : `do update set ${updates.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`;
  const text =
    `insert into ${quote(target.schema)}.${quote(target.table)} ` +
    `(${columns.map(quote).join(', ')}) values ${tuples.join(', ')} ` +
    `on conflict (${target.key.map(quote).join(', ')}) ${onConflict}`;
  return { text, values };
}
