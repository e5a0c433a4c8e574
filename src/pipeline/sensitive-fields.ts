import type { NodeSnapshot } from './node-snapshot';

export const MASK = '[masked]';

/** A row the source could not read is raw text, where fields cannot be told apart. */
export const WITHHELD = '[raw text withheld: the processflow lists sensitive fields]';

const PAYLOAD_FIELDS = ['output', 'request', 'response'] as const;

/**
 * Masks the fields a processflow lists as sensitive in every payload of a snapshot: the source's
 * record, each step's output, the destination's request and answer. An entry names a field by
 * its key ("email") or by its last keys ("card.number"), wherever it sits, inside arrays too, so
 * a field is masked however a step moved or renamed what holds it.
 */
export function maskSensitive(nodes: NodeSnapshot[], fields: readonly string[]): NodeSnapshot[] {
  if (fields.length === 0) return nodes;
  const paths = fields.map((field) => field.split('.'));
  return nodes.map((node) => {
    const copy: NodeSnapshot = { ...node };
    if (node.kind === 'source' && typeof node.output === 'string') copy.output = WITHHELD;
    for (const field of PAYLOAD_FIELDS) {
      if (copy[field] !== undefined) copy[field] = maskValue(copy[field], [], paths);
    }
    return copy;
  });
}

function maskValue(value: unknown, keys: string[], paths: string[][]): unknown {
  if (Array.isArray(value)) return value.map((item) => maskValue(item, keys, paths));
  if (value === null || typeof value !== 'object') return value;
  const masked: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const at = [...keys, key];
    masked[key] = paths.some((path) => endsWith(at, path)) ? MASK : maskValue(inner, at, paths);
  }
  return masked;
}

function endsWith(keys: string[], path: string[]): boolean {
  if (path.length > keys.length) return false;
  const tail = keys.slice(keys.length - path.length);
  return tail.every((key, i) => key === path[i]);
}
