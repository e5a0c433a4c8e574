import type { NodeSnapshot } from './node-snapshot';

export const MASK = '[masked]';

/** A row the source could not read is raw text, where fields cannot be told apart. */
export const WITHHELD = '[raw text withheld: the processflow lists sensitive fields]';

const PAYLOAD_FIELDS = ['output', 'request', 'response'] as const;

/**
 * Shorter values are not searched for in other text: masking every "7" or "yes" would hide
 * more than it protects.
 */
const MIN_TRACKED_LENGTH = 4;

/**
 * Masks the fields a processflow lists as sensitive in every payload of a snapshot: the source's
 * record, each step's output, the destination's request and answer. An entry names a field by
 * its key ("email") or by its last keys ("card.number"), wherever it sits, inside arrays too.
 * The values found there are masked as well wherever else they appear — under a key a step
 * renamed them to, inside a string the destination echoed back, in an error message — given
 * as `values` (see sensitiveValues).
 */
export function maskSensitive(
  nodes: NodeSnapshot[],
  fields: readonly string[],
  values: readonly string[] = sensitiveValues(nodes, fields),
): NodeSnapshot[] {
  if (fields.length === 0) return nodes;
  const paths = fields.map((field) => field.split('.'));
  return nodes.map((node) => {
    const copy: NodeSnapshot = { ...node };
    if (node.kind === 'source' && typeof node.output === 'string') copy.output = WITHHELD;
    for (const field of PAYLOAD_FIELDS) {
      if (copy[field] !== undefined) copy[field] = maskValue(copy[field], [], paths, values);
    }
    if (copy.error !== undefined) copy.error = maskText(copy.error, values);
    return copy;
  });
}

/**
 * The values that sit under a sensitive field anywhere in the snapshot, as text, longest first,
 * so that one holding another is masked whole.
 */
export function sensitiveValues(nodes: NodeSnapshot[], fields: readonly string[]): string[] {
  if (fields.length === 0) return [];
  const paths = fields.map((field) => field.split('.'));
  const found = new Set<string>();
  for (const node of nodes) {
    for (const field of PAYLOAD_FIELDS) collectValues(node[field], [], paths, found);
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** Text with every sensitive value in it (also as JSON would escape it) replaced by the mask. */
export function maskText(text: string, values: readonly string[]): string {
  let masked = text;
  for (const value of values) {
    masked = masked.split(value).join(MASK);
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) masked = masked.split(escaped).join(MASK);
  }
  return masked;
}

function maskValue(
  value: unknown,
  keys: string[],
  paths: string[][],
  values: readonly string[],
): unknown {
  if (typeof value === 'string') return values.length > 0 ? maskText(value, values) : value;
  if (typeof value === 'number') return values.includes(String(value)) ? MASK : value;
  if (Array.isArray(value)) return value.map((item) => maskValue(item, keys, paths, values));
  if (value === null || typeof value !== 'object') return value;
  const masked: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const at = [...keys, key];
    masked[key] = paths.some((path) => endsWith(at, path))
      ? MASK
      : maskValue(inner, at, paths, values);
  }
  return masked;
}

function collectValues(value: unknown, keys: string[], paths: string[][], found: Set<string>) {
  if (Array.isArray(value)) {
    for (const item of value) collectValues(item, keys, paths, found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    const at = [...keys, key];
    if (paths.some((path) => endsWith(at, path))) collectLeaves(inner, found);
    else collectValues(inner, at, paths, found);
  }
}

/** Every string or number inside a sensitive field's value, long enough to be told apart. */
function collectLeaves(value: unknown, found: Set<string>) {
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value);
    if (text.length >= MIN_TRACKED_LENGTH) found.add(text);
  } else if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) collectLeaves(inner, found);
  }
}

function endsWith(keys: string[], path: string[]): boolean {
  if (path.length > keys.length) return false;
  const tail = keys.slice(keys.length - path.length);
  return tail.every((key, i) => key === path[i]);
}
