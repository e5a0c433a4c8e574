import pg from 'pg';

/** Runs one statement on a short-lived connection, e.g. to create or drop a database. */
export async function adminQuery(
  adminUrl: string,
  sql: (client: pg.Client) => string,
): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql(client));
  } finally {
    await client.end();
  }
}
