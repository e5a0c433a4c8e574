import type { Pool } from 'pg';
import type { SourceConnector, SourceReader, SourceRecord, SourceReject } from '../connector';
import { PoolCache } from '../postgres-shared/pool-cache';
import { FatalConnectorError, TransientConnectorError } from '../connector-errors';
import { isTransient } from '../postgres-shared/postgres-errors';
import { readRecordId } from '../record-id';
import { toSourceItems } from '../source-items';
import { type PostgresSourceConfig, postgresSourceConfigSchema } from './postgres-source-config';
import { rowToRecord } from './source-rows';
import { laterMark } from '../../domain/high-water-mark';

export interface PostgresSourceOptions {
  maxRecordBytes: number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Holds each row's key as text, exact whatever its type (timestamps keep their microseconds). */
const KEY_TEXT = '__processflow_key';
/** Holds each row's change mark as text that laterMark orders (see markExpression). */
const MARK_TEXT = '__processflow_mark';

/**
 * Reads a table or view in key order, one page per query: `where key > last key order by key
 * limit n` (a keyset cursor). Rows inserted or deleted while a run pages never shift a page
 * boundary, so no row present throughout the run is skipped or read twice.
 */
export function createPostgresSource(
  options: PostgresSourceOptions,
): SourceConnector<PostgresSourceConfig> & { close(): Promise<void> } {
  const pools = new PoolCache();

  return {
    type: 'postgres',
    configSchema: postgresSourceConfigSchema,
    incremental: (config) => config.updatedColumn !== undefined,
    async openReader(config, idField, context) {
      const keyColumn = config.keyColumn ?? idField;
      if (!IDENTIFIER.test(idField) || !IDENTIFIER.test(keyColumn)) {
        throw new FatalConnectorError(
          `the PostgreSQL source needs idField "${idField}" to be a column name`,
        );
      }
      const pool = pools.poolFor(context.secret(config.connectionSecret));
      const reader = new PostgresReader(pool, config, keyColumn, idField, options.maxRecordBytes);
      await reader.checkKey();
      await reader.checkUpdatedColumn();
      return reader;
    },
    async close() {
      await pools.close();
    },
  };
}

class PostgresReader implements SourceReader {
  private readonly table: string;
  /** The updated column's SQL type and the expression of its mark text, once checked. */
  private mark: { type: string; text: string } | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly config: PostgresSourceConfig,
    private readonly keyColumn: string,
    private readonly idField: string,
    private readonly maxRecordBytes: number,
  ) {
    this.table = `${quote(config.schema)}.${quote(config.table)}`;
  }

  /** Fails at once, with a clear message, on a missing table or column or an unusable key. */
  async checkKey(): Promise<void> {
    const { rows } = await this.query<{ deterministic: boolean }>(
      `select coalesce(c.collisdeterministic, true) as deterministic
       from pg_attribute a left join pg_collation c on c.oid = a.attcollation
       where a.attrelid = to_regclass($1) and a.attname = $2 and not a.attisdropped`,
      [this.table, this.keyColumn],
    );
    const where = `${this.config.schema}.${this.config.table}`;
    if (rows.length === 0) {
      throw new FatalConnectorError(`${where} does not exist or has no column "${this.keyColumn}"`);
    }
    if (!rows[0].deterministic) {
      // A nondeterministic collation calls distinct strings equal, and `key > last` would
      // then skip rows: page by a column (or a view's expression) in a deterministic one.
      throw new FatalConnectorError(
        `key column "${this.keyColumn}" of ${where} has a nondeterministic collation`,
      );
    }
  }

  /** Fails at once on an updated column that is missing or cannot order changes. */
  async checkUpdatedColumn(): Promise<void> {
    const column = this.config.updatedColumn;
    if (column === undefined) return;
    const { rows } = await this.query<{ type: string }>(
      `select format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
       where a.attrelid = to_regclass($1) and a.attname = $2 and not a.attisdropped`,
      [this.table, column],
    );
    const where = `${this.config.schema}.${this.config.table}`;
    if (rows.length === 0) throw new FatalConnectorError(`${where} has no column "${column}"`);
    const text = markExpression(`t.${quote(column)}`, rows[0].type);
    if (text === null) {
      throw new FatalConnectorError(
        `updated column "${column}" of ${where} is ${rows[0].type}: use a timestamp, date or ` +
          'integer column that grows whenever a row changes',
      );
    }
    this.mark = { type: rows[0].type, text };
  }

  async listPage(cursor: string | null, pageSize: number, since: string | null = null) {
    if (this.mark && since !== null) return this.listChanged(cursor, pageSize, since, this.mark);
    const after = cursor === null ? null : parseCursor(cursor);
    const key = quote(this.keyColumn);
    const markColumn = this.mark ? `, ${this.mark.text} as ${MARK_TEXT}` : '';
    const { rows } = await this.query<Record<string, unknown>>(
      `select t.*, t.${key}::text as ${KEY_TEXT}${markColumn} from ${this.table} t
       where t.${key} is not null ${after === null ? '' : `and t.${key} > $2`}
       order by t.${key} limit $1`,
      after === null ? [pageSize] : [pageSize, after],
    );

    const items = toSourceItems(this.entriesOf(rows), this.idField, this.maxRecordBytes);
    const rejects: SourceReject[] = after === null ? await this.rowsWithoutKey() : [];
    const last = rows.at(-1);
    const nextCursor =
      rows.length < pageSize || !last ? null : JSON.stringify({ after: last[KEY_TEXT] });
    return {
      records: items.records,
      rejects: [...rejects, ...items.rejects],
      nextCursor,
      ...(this.mark && { highWaterMark: highestMark(rows) }),
    };
  }

  /**
   * Rows changed after `since`, in (mark, key) order with a keyset cursor on both: a row that
   * changes again while the run pages moves ahead of the cursor and is read again, once more.
   */
  private async listChanged(
    cursor: string | null,
    pageSize: number,
    since: string,
    mark: { type: string; text: string },
  ) {
    const key = quote(this.keyColumn);
    const updated = `t.${quote(this.config.updatedColumn!)}`;
    const after = cursor === null ? null : parseChangeCursor(cursor);
    const { rows } = await this.query<Record<string, unknown>>(
      `select t.*, t.${key}::text as ${KEY_TEXT}, ${mark.text} as ${MARK_TEXT}
       from ${this.table} t
       where t.${key} is not null and ${updated} > $2::${mark.type}
         ${after === null ? '' : `and (${updated}, t.${key}) > ($3::${mark.type}, $4)`}
       order by ${updated}, t.${key} limit $1`,
      after === null ? [pageSize, since] : [pageSize, since, after.mark, after.after],
    );
    const items = toSourceItems(this.entriesOf(rows), this.idField, this.maxRecordBytes);
    const last = rows.at(-1);
    const nextCursor =
      rows.length < pageSize || !last
        ? null
        : JSON.stringify({ mark: last[MARK_TEXT], after: last[KEY_TEXT] });
    return {
      records: items.records,
      rejects: items.rejects,
      nextCursor,
      highWaterMark: highestMark(rows),
    };
  }

  private entriesOf(rows: Record<string, unknown>[]) {
    return rows.map((row) => {
      const rest = { ...row };
      delete rest[MARK_TEXT];
      return {
        locator: `${this.keyColumn} ${String(row[KEY_TEXT])}`,
        value: rowToRecord(rest, KEY_TEXT),
      };
    });
  }

  async getByIds(ids: string[]) {
    const found = new Map<string, SourceRecord>();
    if (ids.length === 0) return found;
    const column = quote(this.idField);
    let rows: Record<string, unknown>[];
    try {
      ({ rows } = await this.query(`select * from ${this.table} where ${column} = any($1)`, [ids]));
    } catch (error) {
      // An id that is not valid for the column's type (text for an integer key) cannot match:
      // compare as text instead, which finds the rest.
      if (!(error instanceof FatalConnectorError && /^22/.test(pgCode(error.cause) ?? ''))) {
        throw error;
      }
      ({ rows } = await this.query(`select * from ${this.table} where ${column}::text = any($1)`, [
        ids,
      ]));
    }
    const wanted = new Set(ids);
    for (const row of rows) {
      const record = rowToRecord(row, KEY_TEXT);
      const id = readRecordId(record, this.idField);
      if (id !== null && wanted.has(id)) found.set(id, record);
    }
    return found;
  }

  async close() {}

  /** Rows with no key cannot be paged; they are reported once per run instead of vanishing. */
  private async rowsWithoutKey(): Promise<SourceReject[]> {
    const key = quote(this.keyColumn);
    const { rows } = await this.query<{ count: number }>(
      `select count(*)::int as count from ${this.table} where ${key} is null`,
    );
    const count = rows[0].count;
    if (count === 0) return [];
    return [
      {
        locator: `rows without ${this.keyColumn}`,
        error: `${count} rows have no value in key column "${this.keyColumn}" and cannot be read`,
      },
    ];
  }

  private async query<R extends object>(text: string, values: unknown[] = []) {
    try {
      return await this.pool.query<R & import('pg').QueryResultRow>(text, values);
    } catch (error) {
      const code = pgCode(error);
      const message = `source database: ${(error as Error).message}`;
      if (isTransient(code))
        throw new TransientConnectorError(message, undefined, { cause: error });
      throw new FatalConnectorError(message, { cause: error });
    }
  }
}

function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * SQL giving a column's value as a mark that laterMark orders: integers as digits, timestamps
 * as ISO 8601 text with microseconds (in UTC for timestamptz). Null for other types.
 */
function markExpression(column: string, type: string): string | null {
  if (/^(smallint|integer|bigint)$/.test(type)) return `${column}::text`;
  if (/^timestamp(\(\d\))? with time zone$/.test(type)) {
    return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  }
  if (/^timestamp(\(\d\))? without time zone$/.test(type)) {
    return `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
  }
  if (type === 'date') return `to_char(${column}, 'YYYY-MM-DD')`;
  return null;
}

function highestMark(rows: Record<string, unknown>[]): string | null {
  let highest: string | null = null;
  for (const row of rows) {
    const mark = row[MARK_TEXT];
    if (typeof mark === 'string') highest = laterMark(highest, mark);
  }
  return highest;
}

function parseChangeCursor(cursor: string): { mark: string; after: string } {
  try {
    const parsed = JSON.parse(cursor) as { mark?: unknown; after?: unknown };
    if (typeof parsed.mark === 'string' && typeof parsed.after === 'string') {
      return { mark: parsed.mark, after: parsed.after };
    }
  } catch {
    // reported below
  }
  throw new FatalConnectorError(`PostgreSQL source cursor is not valid: ${cursor}`);
}

function parseCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(cursor) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // reported below
  }
  throw new FatalConnectorError(`PostgreSQL source cursor is not valid: ${cursor}`);
}
