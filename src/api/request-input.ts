import { z } from 'zod';
import { InputError } from '../domain/errors';

/** The part of a request a value came from; field paths in error answers start with it. */
export type RequestPart = 'params' | 'query' | 'body';

export interface FieldIssue {
  path: string;
  message: string;
}

const problems: Record<RequestPart, string> = {
  params: 'the path parameters are not valid',
  query: 'the query parameters are not valid',
  body: 'the request body is not valid',
};

/** Parses one part of a request; a failure becomes an InputError naming each field. */
export function parseRequestPart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: RequestPart,
): z.output<S> {
  const shapeIssue = checkShape(value, part);
  if (shapeIssue) throw new InputError(problems[part], [shapeIssue]);
  const parsed = schema.safeParse(value, { error: requiredMessage });
  if (parsed.success) return parsed.data;
  const issues = fieldIssues(parsed.error, part, knownKeys(schema));
  throw new InputError(problems[part], part === 'query' ? withRepeats(issues, value) : issues);
}

/**
 * `?limit=2&limit=3` reaches a schema as an array; where that parameter is refused, say it was
 * given more than once rather than what its schema made of the array.
 */
function withRepeats(issues: FieldIssue[], query: unknown): FieldIssue[] {
  const given = (query ?? {}) as Record<string, unknown>;
  const repeated = new Set(
    Object.keys(given)
      .filter((key) => Array.isArray(given[key]))
      .map((key) => joinPath('query', [key])),
  );
  return issues.map((issue) =>
    repeated.has(issue.path) ? { ...issue, message: 'given more than once; give it once' } : issue,
  );
}

/** Nesting deeper than this is refused: no request of this API needs more. */
const MAX_INPUT_DEPTH = 64;

interface Visit {
  value: unknown;
  key: string | null;
  parent: Visit | null;
  depth: number;
}

/**
 * Checks what every request part must be before its schema sees it: no string (value or key)
 * holds U+0000, which Postgres text refuses, and nothing is nested deeper than MAX_INPUT_DEPTH
 * (which also stops a YAML alias that refers to itself). Iterative, so hostile nesting cannot
 * exhaust the stack.
 */
function checkShape(value: unknown, part: RequestPart): FieldIssue | undefined {
  const pending: Visit[] = [{ value, key: null, parent: null, depth: 0 }];
  while (pending.length > 0) {
    const visit = pending.pop()!;
    if (typeof visit.value === 'string') {
      if (visit.value.includes('\u0000')) return nulIssue(part, visit);
      continue;
    }
    if (visit.value === null || typeof visit.value !== 'object') continue;
    if (visit.depth >= MAX_INPUT_DEPTH) {
      return {
        path: pathOf(part, visit),
        message: `nested deeper than ${MAX_INPUT_DEPTH} levels`,
      };
    }
    for (const [key, inner] of Object.entries(visit.value)) {
      const child = { value: inner, key, parent: visit, depth: visit.depth + 1 };
      if (key.includes('\u0000')) return nulIssue(part, child);
      pending.push(child);
    }
  }
  return undefined;
}

function nulIssue(part: RequestPart, visit: Visit): FieldIssue {
  return {
    path: pathOf(part, visit),
    message: 'contains a NUL character (\\u0000), which no text field may hold',
  };
}

function pathOf(part: RequestPart, visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | null = visit; at?.key != null; at = at.parent) keys.unshift(at.key);
  return joinPath(part, keys);
}

/** Zod issues as field issues; unknown keys become one issue each, naming the key. */
export function fieldIssues(error: z.ZodError, prefix: string, known: string[] = []): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code !== 'unrecognized_keys') {
      return [{ path: joinPath(prefix, issue.path), message: issue.message }];
    }
    const hint = known.length > 0 && issue.path.length === 0 ? `; known: ${known.join(', ')}` : '';
    return issue.keys.map((key) => ({
      path: joinPath(prefix, [...issue.path, key]),
      message: `unknown ${prefix === 'query' ? 'parameter' : 'field'}${hint}`,
    }));
  });
}

/** Moves the field paths of a service's InputError under a request part (`body.source.…`). */
export async function withinRequestPart<T>(part: RequestPart, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const issues = error.issues.map((issue) => ({ ...issue, path: joinPath(part, [issue.path]) }));
    throw new InputError(error.message, issues);
  }
}

export function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter((segment) => segment !== '').join('.');
}

function requiredMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  return undefined;
}

function knownKeys(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}
