import { storableJson, storableText } from './storable-text';

/** What one node saw and did with one record during one attempt. */
export interface NodeSnapshot {
  node: string;
  kind: 'source' | 'map' | 'filter' | 'destination';
  output?: unknown;
  request?: unknown;
  response?: unknown;
  error?: string;
  skipped?: boolean;
  ms: number;
}

export interface TruncatedPayload {
  truncated: true;
  bytes: number;
  preview: string;
}

const PAYLOAD_FIELDS = ['output', 'request', 'response'] as const;

/**
 * Cuts payloads larger than the limit to a visible preview, so a huge record cannot bloat the
 * snapshot table, and makes every string storable. Answers the nodes to store, their total size and whether anything was cut.
 */
export function limitSnapshot(nodes: NodeSnapshot[], maxPayloadBytes: number) {
  let bytes = 0;
  let truncated = false;
  const limited = nodes.map((node) => {
    const copy: NodeSnapshot = { ...node };
    if (copy.error !== undefined) copy.error = storableText(copy.error);
    for (const field of PAYLOAD_FIELDS) {
      if (copy[field] === undefined) continue;
      let text = JSON.stringify(copy[field]) ?? 'null';
      // Only a payload holding U+0000 (escaped in JSON) needs the deep copy that replaces it.
      if (text.includes('\\u0000')) {
        copy[field] = storableJson(copy[field]);
        text = JSON.stringify(copy[field]) ?? 'null';
      }
      const size = Buffer.byteLength(text);
      if (size > maxPayloadBytes) {
        const preview = Buffer.from(text).subarray(0, maxPayloadBytes).toString('utf8');
        copy[field] = { truncated: true, bytes: size, preview } satisfies TruncatedPayload;
        truncated = true;
        bytes += maxPayloadBytes;
      } else {
        bytes += size;
      }
    }
    return copy;
  });
  return { nodes: limited, bytes, truncated };
}
