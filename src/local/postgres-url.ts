export type PostgresUrlParts = {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
};

export function postgresUrl({ host, port, user, password, database }: PostgresUrlParts): string {
  const credentials = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
  return `postgres://${credentials}@${host}:${port}/${encodeURIComponent(database)}`;
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
