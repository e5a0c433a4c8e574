import { Gauge } from 'prom-client';
import { metricsRegistry } from './metrics-registry';

/** What the ledger holds right now, read at each scrape. */
export interface LedgerFigures {
  records: { deployment: string; status: string; lastAttemptKind: string; count: number }[];
  lifecycles: { deployment: string; state: string; count: number }[];
  runsInProgress: { deployment: string; kind: string; count: number }[];
}

export type LedgerFigureSource = () => Promise<LedgerFigures>;

let source: LedgerFigureSource | undefined;
let pending: Promise<LedgerFigures> | undefined;

/** One read of the ledger serves all three gauges of a scrape. */
function figures(): Promise<LedgerFigures> | undefined {
  if (!source) return undefined;
  pending ??= source().finally(() => {
    pending = undefined;
  });
  return pending;
}

const records = new Gauge({
  name: 'processflow_records',
  help: 'Ledger records by deployment, status and the kind of their last attempt',
  labelNames: ['deployment', 'status', 'last_attempt_kind'] as const,
  registers: [metricsRegistry],
  async collect() {
    const found = await figures();
    if (!found) return;
    this.reset();
    for (const r of found.records) {
      this.set(
        { deployment: r.deployment, status: r.status, last_attempt_kind: r.lastAttemptKind },
        r.count,
      );
    }
  },
});

const lifecycles = new Gauge({
  name: 'processflow_retry_lifecycles',
  help: 'Records in automatic retry, by state: waiting (or claimed by a slot), exhausted, paused',
  labelNames: ['deployment', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    const found = await figures();
    if (!found) return;
    this.reset();
    for (const l of found.lifecycles)
      this.set({ deployment: l.deployment, state: l.state }, l.count);
  },
});

const runs = new Gauge({
  name: 'processflow_runs_in_progress',
  help: 'Executions running now, by deployment and kind (main, retry, resync)',
  labelNames: ['deployment', 'kind'] as const,
  registers: [metricsRegistry],
  async collect() {
    const found = await figures();
    if (!found) return;
    this.reset();
    for (const r of found.runsInProgress)
      this.set({ deployment: r.deployment, kind: r.kind }, r.count);
  },
});

/**
 * Makes the ledger gauges read from `next` (the API's store). A process has one registry, so
 * the last source given wins; without one the gauges stay empty.
 */
export function useLedgerFigures(next: LedgerFigureSource | undefined): void {
  source = next;
  if (!next) for (const gauge of [records, lifecycles, runs]) gauge.reset();
}
