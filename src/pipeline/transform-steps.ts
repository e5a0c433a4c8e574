import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import jsonata from 'jsonata';
import { readRecordId } from '../connectors/record-id';
import type { ProcessflowDefinition, Step } from '../domain/processflow-definition';
import { limitSnapshot, type NodeSnapshot } from './node-snapshot';

type Expression = ReturnType<typeof jsonata>;

export interface CompiledStep {
  step: Step;
  expression: Expression;
  /** A map step whose output is larger fails the record. */
  maxOutputBytes: number;
}

export type TransformResult =
  | { kind: 'output'; data: unknown; nodes: NodeSnapshot[] }
  | { kind: 'skipped'; nodes: NodeSnapshot[] }
  | { kind: 'failed'; error: string; node: string; nodes: NodeSnapshot[] };

/**
 * Limits on one step's evaluation of one record, so that a runaway expression (an endless
 * recursion, a huge range) fails that record instead of holding the page. JSONata checks them
 * between evaluation steps; a single built-in call (one regular expression match) runs to its
 * end, so the time box bounds evaluation, not each native call inside it.
 */
export interface StepLimits {
  timeoutMs: number;
  maxDepth: number;
  maxSequence: number;
  maxOutputBytes: number;
}

export const DEFAULT_STEP_LIMITS: StepLimits = {
  timeoutMs: 1_000,
  maxDepth: 500,
  maxSequence: 1_000_000,
  maxOutputBytes: 8 * 1024 * 1024,
};

/** Preview answers show each node's data up to this size, as snapshots do. */
const PREVIEW_MAX_PAYLOAD_BYTES = 256 * 1024;

const EXPRESSION_CHARS = 200;

export class StepCompileError extends Error {
  constructor(
    readonly stepIndex: number,
    message: string,
  ) {
    super(message);
  }
}

/** Compiles every step's JSONata expression once; a syntax error names the step. */
export function compileSteps(
  steps: Step[],
  limits: StepLimits = DEFAULT_STEP_LIMITS,
): CompiledStep[] {
  const options = {
    timeout: limits.timeoutMs,
    stack: limits.maxDepth,
    sequence: limits.maxSequence,
  };
  return steps.map((step, index) => {
    try {
      const expression = jsonata(step.expression, options);
      return { step, expression, maxOutputBytes: limits.maxOutputBytes };
    } catch (error) {
      throw new StepCompileError(
        index,
        `step "${step.name}": ${jsonataMessage(error)} (expression: ${excerpt(step.expression)})`,
      );
    }
  });
}

/** Runs a record through the steps, keeping each step's output for the snapshot. */
export async function runSteps(
  steps: CompiledStep[],
  sourceId: string,
  record: unknown,
): Promise<TransformResult> {
  const nodes: NodeSnapshot[] = [];
  let data = record;
  // Evaluation only awaits resolved promises; yielding once per record lets timers (heartbeats,
  // cancellation) run between records of a long page.
  await yieldToEventLoop();

  for (const { step, expression, maxOutputBytes } of steps) {
    const started = performance.now();
    let result: unknown;
    try {
      result = await expression.evaluate(data);
    } catch (error) {
      return failed(nodes, step, sourceId, jsonataMessage(error), elapsed(started));
    }
    const ms = elapsed(started);

    if (step.type === 'filter') {
      if (result !== true && result !== false && result !== undefined) {
        const gave = JSON.stringify(result)?.slice(0, 100);
        return failed(nodes, step, sourceId, `a filter must give true or false, not ${gave}`, ms);
      }
      const keep = result === true;
      nodes.push({ node: step.name, kind: 'filter', output: keep, ms, skipped: !keep });
      if (!keep) return { kind: 'skipped', nodes };
      continue;
    }
    data = result === undefined ? null : result;
    const size = jsonBytes(data);
    if (size > maxOutputBytes) {
      const shown = Number.isFinite(size) ? `${size} bytes` : 'too large to measure';
      return failed(
        nodes,
        step,
        sourceId,
        `its output is ${shown}, over the limit of ${maxOutputBytes}`,
        ms,
      );
    }
    nodes.push({ node: step.name, kind: 'map', output: data, ms });
  }
  return { kind: 'output', data, nodes };
}

/** The size of a value as JSON; a value too large to serialise at all counts as infinite. */
function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? 'null');
  } catch {
    return Infinity;
  }
}

function failed(
  nodes: NodeSnapshot[],
  step: Step,
  sourceId: string,
  reason: string,
  ms: number,
): TransformResult {
  const error =
    `step "${step.name}" failed on record "${sourceId}": ${reason}` +
    ` (expression: ${excerpt(step.expression)})`;
  nodes.push({ node: step.name, kind: step.type, error, ms });
  return { kind: 'failed', error, node: step.name, nodes };
}

function jsonataMessage(error: unknown): string {
  const e = error as { message?: string; position?: number; token?: string };
  const where = e.position !== undefined ? ` at position ${e.position}` : '';
  return `${e.message ?? String(error)}${where}`;
}

function excerpt(expression: string): string {
  return expression.length > EXPRESSION_CHARS
    ? `${expression.slice(0, EXPRESSION_CHARS)}…`
    : expression;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

/** What a definition would do with one record: each node's output, up to where it stops. */
export interface FlowPreview {
  sourceId: string | null;
  outcome: 'written' | 'skipped' | 'failed';
  error?: string;
  errorNode?: string;
  nodes: NodeSnapshot[];
}

/**
 * Runs a sample record through the steps of a definition. The destination node shows what
 * would be written; nothing is read from the source or written to the destination.
 */
export async function previewFlow(
  definition: ProcessflowDefinition,
  steps: CompiledStep[],
  record: Record<string, unknown>,
): Promise<FlowPreview> {
  const { source, destination } = definition;
  const sourceNode: NodeSnapshot = { node: source.name, kind: 'source', output: record, ms: 0 };
  const sourceId = readRecordId(record, source.idField);
  if (sourceId === null) {
    const error = `record has no id in field "${source.idField}"`;
    const nodes = [{ ...sourceNode, error }];
    return { sourceId, outcome: 'failed', error, errorNode: source.name, nodes: shown(nodes) };
  }

  const result = await runSteps(steps, sourceId, record);
  const nodes = [sourceNode, ...result.nodes];
  if (result.kind === 'failed') {
    return {
      sourceId,
      outcome: 'failed',
      error: result.error,
      errorNode: result.node,
      nodes: shown(nodes),
    };
  }
  if (result.kind === 'skipped') return { sourceId, outcome: 'skipped', nodes: shown(nodes) };
  nodes.push({ node: destination.name, kind: 'destination', output: result.data, ms: 0 });
  return { sourceId, outcome: 'written', nodes: shown(nodes) };
}

/** Nodes as a preview answer shows them: large payloads cut to a visible preview. */
const shown = (nodes: NodeSnapshot[]) => limitSnapshot(nodes, PREVIEW_MAX_PAYLOAD_BYTES).nodes;
