import jsonata from 'jsonata';
import type { Step } from '../domain/processflow-definition';
import type { NodeSnapshot } from './node-snapshot';

type Expression = ReturnType<typeof jsonata>;

export interface CompiledStep {
  step: Step;
  expression: Expression;
}

export type TransformResult =
  | { kind: 'output'; data: unknown; nodes: NodeSnapshot[] }
  | { kind: 'skipped'; nodes: NodeSnapshot[] }
  | { kind: 'failed'; error: string; node: string; nodes: NodeSnapshot[] };

export class StepCompileError extends Error {
  constructor(
    readonly stepIndex: number,
    message: string,
  ) {
    super(message);
  }
}

/** Compiles every step's JSONata expression once; a syntax error names the step. */
export function compileSteps(steps: Step[]): CompiledStep[] {
  return steps.map((step, index) => {
    try {
      return { step, expression: jsonata(step.expression) };
    } catch (error) {
      throw new StepCompileError(index, `step "${step.name}": ${jsonataMessage(error)}`);
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

  for (const { step, expression } of steps) {
    const started = performance.now();
    try {
      const result: unknown = await expression.evaluate(data);
      const ms = elapsed(started);
      if (step.type === 'filter') {
        const keep = result === true;
        nodes.push({ node: step.name, kind: 'filter', output: keep, ms, skipped: !keep });
        if (!keep) return { kind: 'skipped', nodes };
        continue;
      }
      data = result === undefined ? null : result;
      nodes.push({ node: step.name, kind: 'map', output: data, ms });
    } catch (error) {
      const message =
        `step "${step.name}" failed on record "${sourceId}": ${jsonataMessage(error)}` +
        ` (expression: ${step.expression.slice(0, 200)})`;
      nodes.push({ node: step.name, kind: step.type, error: message, ms: elapsed(started) });
      return { kind: 'failed', error: message, node: step.name, nodes };
    }
  }
  return { kind: 'output', data, nodes };
}

function jsonataMessage(error: unknown): string {
  const e = error as { message?: string; position?: number; token?: string };
  const where = e.position !== undefined ? ` at position ${e.position}` : '';
  return `${e.message ?? String(error)}${where}`;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}
