import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export interface HistoryScan {
  workflows: number;
  events: number;
  payloads: number;
  /** The largest payload's data, in bytes, and where it was. */
  largest: { bytes: number; workflowId: string; eventType: string };
  /** Every history, serialised as Temporal stores it, for searching. */
  text: string;
}

/**
 * Reads the histories of every workflow a query finds and measures their payloads (inputs,
 * results, signals, memos, search attributes, failure details): what actually entered Temporal.
 */
export async function scanHistories(client: Client, query: string): Promise<HistoryScan> {
  const scan: HistoryScan = {
    workflows: 0,
    events: 0,
    payloads: 0,
    largest: { bytes: 0, workflowId: '', eventType: '' },
    text: '',
  };
  const texts: string[] = [];
  for await (const workflow of client.workflow.list({ query })) {
    const history = await client.workflow
      .getHandle(workflow.workflowId, workflow.runId)
      .fetchHistory();
    scan.workflows += 1;
    for (const event of history.events ?? []) {
      scan.events += 1;
      const eventType = temporal.api.enums.v1.EventType[event.eventType ?? 0];
      visitPayloads(event, (bytes) => {
        scan.payloads += 1;
        if (bytes > scan.largest.bytes) {
          scan.largest = { bytes, workflowId: workflow.workflowId, eventType };
        }
      });
    }
    const encoded = temporal.api.history.v1.History.encode(history).finish();
    texts.push(Buffer.from(encoded).toString('utf8'));
  }
  scan.text = texts.join('\n');
  return scan;
}

function visitPayloads(value: unknown, seen: (bytes: number) => void): void {
  if (value === null || typeof value !== 'object') return;
  if (value instanceof Uint8Array) return;
  const record = value as Record<string, unknown>;
  if (record.data instanceof Uint8Array && 'metadata' in record) {
    seen(record.data.byteLength);
    return;
  }
  for (const inner of Object.values(record)) {
    if (Array.isArray(inner)) inner.forEach((item) => visitPayloads(item, seen));
    else visitPayloads(inner, seen);
  }
}
