import type { z } from 'zod';

/** A record as the source hands it over: plain JSON. */
export type SourceRecord = Record<string, unknown>;

/** A record with its id, read at the definition's idField. */
export interface SourceItem {
  id: string;
  data: SourceRecord;
}

/** Something the source handed over that is not a usable record (broken row, no id, too big). */
export interface SourceReject {
  /** Where it was found, stable across runs (e.g. "line 42"); it becomes its source id. */
  locator: string;
  error: string;
  /** The raw text, cut to a preview. */
  raw?: string;
}

export interface SourcePage {
  records: SourceItem[];
  rejects: SourceReject[];
  /** Where the next page starts; null when this was the last page. */
  nextCursor: string | null;
  /**
   * Incremental sources: the highest change mark among this page's records (an updated_at, a
   * version number), as text that `laterMark` orders: integers, or timestamps written all in
   * one format (ISO 8601 in UTC). Absent or null when the page has none.
   */
  highWaterMark?: string | null;
}

/** Everything a connector gets besides its own config. */
export interface ConnectorContext {
  /** Reads a secret by name (environment or secrets file); never logged or stored. */
  secret(name: string): string;
  signal: AbortSignal;
}

export interface SourceReader {
  /**
   * Lists records from a cursor (null: from the start). An incremental source given `since`
   * lists only records changed after that mark; others ignore it. A run passes the same
   * `since` with every cursor.
   */
  listPage(cursor: string | null, pageSize: number, since?: string | null): Promise<SourcePage>;
  /** Fetches records by id; an id the source no longer has is absent from the answer. */
  getByIds(ids: string[]): Promise<Map<string, SourceRecord>>;
  close(): Promise<void>;
}

/** One record to write, keyed so that writing it again replaces rather than duplicates. */
export interface WriteItem {
  deploymentId: string;
  sourceId: string;
  /** Distinct per attempt; an Idempotency-Key for destinations that take one. */
  attemptKey: string;
  data: unknown;
}

export type WriteOutcome =
  | { ok: true; request?: unknown; response?: unknown }
  | { ok: false; error: string; request?: unknown; response?: unknown };

export interface DestinationWriter {
  /**
   * Writes items and answers one outcome per item, in order. Record errors come back as
   * outcomes; transient and fatal errors are thrown (see connector-errors.ts).
   */
  writeBatch(items: WriteItem[]): Promise<WriteOutcome[]>;
  close(): Promise<void>;
}

export interface SourceConnector<Config = unknown> {
  type: string;
  configSchema: z.ZodType<Config>;
  /** idField is the definition's field holding a record's id. */
  openReader(config: Config, idField: string, context: ConnectorContext): Promise<SourceReader>;
  /** Whether readers of this config list changes after a mark (incremental sync). */
  incremental?(config: Config): boolean;
}

export interface DestinationConnector<Config = unknown> {
  type: string;
  configSchema: z.ZodType<Config>;
  openWriter(config: Config, context: ConnectorContext): Promise<DestinationWriter>;
}
