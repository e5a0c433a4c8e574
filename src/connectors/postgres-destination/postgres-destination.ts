import type { Pool, PoolClient } from 'pg';
import type {
  DestinationConnector,
  DestinationWriter,
  WriteItem,
  WriteOutcome,
} from '../connector';
import { PoolCache } from '../postgres-shared/pool-cache';
import { RecordConnectorError } from '../connector-errors';
import { classifyPgError, describePgError } from '../postgres-shared/postgres-errors';
import {
  type PostgresDestinationConfig,
  postgresDestinationConfigSchema,
} from './postgres-destination-config';
import { buildUpsert, type UpsertTarget } from './upsert-statement';

/** A refused group this small is written row by row rather than halved again. */
const ONE_BY_ONE = 16;

interface PreparedRow {
  index: number;
  columns: string[];
  values: unknown[];
}

/**
 * Upserts records into a PostgreSQL table. A batch is written with one statement; when a row of
 * it breaks a constraint, the batch is written again in one transaction, halved around the
 * refused rows inside savepoints, so that each record gets its own outcome with the database's
 * own message.
 */
export function createPostgresDestination(): DestinationConnector<PostgresDestinationConfig> & {
  close(): Promise<void>;
} {
  const pools = new PoolCache();

  return {
    type: 'postgres',
    configSchema: postgresDestinationConfigSchema,
    async openWriter(config, context) {
      const target: UpsertTarget = {
        schema: config.schema,
        table: config.table,
        key: config.key ?? [config.sourceIdColumn!],
      };
      return new PostgresWriter(
        pools.poolFor(context.secret(config.connectionSecret)),
        target,
        config,
      );
    },
    async close() {
      await pools.close();
    },
  };
}

class PostgresWriter implements DestinationWriter {
  constructor(
    private readonly pool: Pool,
    private readonly target: UpsertTarget,
    private readonly config: PostgresDestinationConfig,
  ) {}

  async writeBatch(items: WriteItem[]): Promise<WriteOutcome[]> {
    const outcomes: WriteOutcome[] = new Array(items.length);
    const rows: PreparedRow[] = [];
    items.forEach((item, index) => {
      const row = this.prepare(item, index);
      if (row instanceof RecordConnectorError) outcomes[index] = { ok: false, error: row.message };
      else rows.push(row);
    });

    const client = await this.connect();
    try {
      for (const group of groupByColumns(rows)) await this.writeGroup(client, group, outcomes);
    } finally {
      client.release();
    }
    return outcomes;
  }

  async close() {}

  private prepare(item: WriteItem, index: number): PreparedRow | RecordConnectorError {
    const data = item.data;
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      return new RecordConnectorError('record to write is not an object of column values');
    }
    const row: Record<string, unknown> = { ...(data as Record<string, unknown>) };
    if (this.config.sourceIdColumn) row[this.config.sourceIdColumn] = item.sourceId;
    const columns = Object.keys(row).sort();
    if (columns.length === 0) return new RecordConnectorError('record to write has no fields');
    return { index, columns, values: columns.map((c) => toParameter(row[c])) };
  }

  private async connect(): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw classifyPgError(error);
    }
  }

  private async writeGroup(client: PoolClient, group: PreparedRow[], outcomes: WriteOutcome[]) {
    try {
      const result = await client.query(this.upsert(group));
      this.written(group, result, outcomes);
    } catch (error) {
      const classified = classifyPgError(error);
      if (!(classified instanceof RecordConnectorError)) throw classified;
      await this.writeAroundRefusals(client, group, outcomes);
    }
  }

  /** One transaction in which refused rows are found by halving the group (see `halve`). */
  private async writeAroundRefusals(
    client: PoolClient,
    group: PreparedRow[],
    outcomes: WriteOutcome[],
  ) {
    await query(client, 'begin');
    try {
      await this.halve(client, group, outcomes);
      await query(client, 'commit');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    }
  }

  /**
   * The database refused a row of the group without saying which. Each half is written in a
   * savepoint and a half that fails is halved again, so the rows the table accepts keep going
   * in batches and each refused row ends with the database's own message: one refusal in a page
   * costs a few dozen statements instead of three per row. Small groups go one row at a time,
   * which is cheaper where refusals are dense.
   */
  private async halve(client: PoolClient, group: PreparedRow[], outcomes: WriteOutcome[]) {
    if (group.length <= ONE_BY_ONE) {
      for (const row of group) outcomes[row.index] = await this.writeOne(client, row);
      return;
    }
    const middle = Math.ceil(group.length / 2);
    for (const half of [group.slice(0, middle), group.slice(middle)]) {
      if (!(await this.writeInSavepoint(client, half, outcomes))) {
        await this.halve(client, half, outcomes);
      }
    }
  }

  /** Writes rows in a savepoint; answers false, leaving nothing written, if one is refused. */
  private async writeInSavepoint(
    client: PoolClient,
    rows: PreparedRow[],
    outcomes: WriteOutcome[],
  ): Promise<boolean> {
    await query(client, 'savepoint record_write');
    try {
      const result = await client.query(this.upsert(rows));
      await query(client, 'release savepoint record_write');
      this.written(rows, result, outcomes);
      return true;
    } catch (error) {
      const classified = classifyPgError(error);
      if (!(classified instanceof RecordConnectorError)) throw classified;
      await query(client, 'rollback to savepoint record_write');
      return false;
    }
  }

  private upsert(rows: PreparedRow[]) {
    return buildUpsert(
      this.target,
      rows[0].columns,
      rows.map((r) => r.values),
    );
  }

  private written(
    rows: PreparedRow[],
    result: { command: string; rowCount: number | null },
    outcomes: WriteOutcome[],
  ) {
    for (const row of rows) {
      outcomes[row.index] = {
        ok: true,
        request: this.request(row),
        response: { command: result.command, batchRows: rows.length, rowCount: result.rowCount },
      };
    }
  }

  private async writeOne(client: PoolClient, row: PreparedRow): Promise<WriteOutcome> {
    const statement = buildUpsert(this.target, row.columns, [row.values]);
    const request = this.request(row);
    await query(client, 'savepoint record_write');
    try {
      const result = await client.query(statement);
      await query(client, 'release savepoint record_write');
      return {
        ok: true,
        request,
        response: { command: result.command, rowCount: result.rowCount },
      };
    } catch (error) {
      const classified = classifyPgError(error);
      if (!(classified instanceof RecordConnectorError)) throw classified;
      await query(client, 'rollback to savepoint record_write');
      const response = describePgError(error as Parameters<typeof describePgError>[0]);
      return { ok: false, error: classified.message, request, response };
    }
  }

  private request(row: PreparedRow) {
    const values = Object.fromEntries(row.columns.map((c, i) => [c, row.values[i]]));
    return { upsert: `${this.target.schema}.${this.target.table}`, key: this.target.key, values };
  }
}

async function query(client: PoolClient, text: string) {
  try {
    await client.query(text);
  } catch (error) {
    throw classifyPgError(error);
  }
}

function groupByColumns(rows: PreparedRow[]): PreparedRow[][] {
  const groups = new Map<string, PreparedRow[]>();
  for (const row of rows) {
    const signature = row.columns.join('\u0000');
    const group = groups.get(signature);
    if (group) group.push(row);
    else groups.set(signature, [row]);
  }
  return [...groups.values()];
}

/** Objects and arrays go to json/jsonb columns as JSON text; the rest as the driver maps them. */
function toParameter(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return JSON.stringify(value);
  }
  return value;
}
