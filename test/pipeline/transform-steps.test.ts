import {
  compileSteps,
  DEFAULT_STEP_LIMITS,
  runSteps,
  StepCompileError,
} from '../../src/pipeline/transform-steps';

const map = (name: string, expression: string) => ({ name, type: 'map' as const, expression });
const filter = (name: string, expression: string) => ({
  name,
  type: 'filter' as const,
  expression,
});

describe('transform steps', () => {
  it('runs map and filter steps, keeping each step output', async () => {
    const steps = compileSteps([
      filter('Active only', 'active = true'),
      map('Shape', '{ "id": id, "full": first & " " & last }'),
    ]);

    const result = await runSteps(steps, 'p/1', {
      id: 'p/1',
      first: 'Ada',
      last: 'L',
      active: true,
    });

    expect(result).toMatchObject({
      kind: 'output',
      data: { id: 'p/1', full: 'Ada L' },
      nodes: [
        { node: 'Active only', kind: 'filter', output: true, skipped: false },
        { node: 'Shape', kind: 'map', output: { id: 'p/1', full: 'Ada L' } },
      ],
    });
  });

  it('skips a record the filter does not keep, also when the field is missing', async () => {
    const steps = compileSteps([filter('Active only', 'active')]);

    expect((await runSteps(steps, 'a', { active: false })).kind).toBe('skipped');
    expect((await runSteps(steps, 'b', {})).kind).toBe('skipped');
  });

  it('fails a record whose filter gives something other than true or false', async () => {
    const steps = compileSteps([filter('Status', 'status')]);

    const result = await runSteps(steps, 'r1', { status: 'yes' });

    expect(result).toMatchObject({
      kind: 'failed',
      node: 'Status',
      error:
        'step "Status" failed on record "r1": a filter must give true or false, not "yes" ' +
        '(expression: status)',
    });
  });

  it('names the step, the record and the expression when evaluation fails', async () => {
    const steps = compileSteps([map('Total', 'price * quantity')]);

    const result = await runSteps(steps, 'Zoë #7', { price: 'ten', quantity: 2 });

    expect(result.kind).toBe('failed');
    expect((result as { error: string }).error).toMatch(
      /^step "Total" failed on record "Zoë #7": .*must evaluate to a number.* \(expression: price \* quantity\)$/,
    );
  });

  it('names the step and the expression when it does not compile', () => {
    const compile = () => compileSteps([map('Fine', 'a'), map('Broken', '{ "a": ')]);

    expect(compile).toThrow(StepCompileError);
    expect(compile).toThrow(/^step "Broken": .* \(expression: \{ "a": \)$/);
  });

  it('stops a runaway expression at the time box and fails only that record', async () => {
    const steps = compileSteps(
      [map('Spin', '($f := function($n) { $n > 0 ? $f($n) : 0 }; $f(1))')],
      { ...DEFAULT_STEP_LIMITS, timeoutMs: 200, maxDepth: 100_000, maxSequence: 1_000 },
    );
    const result = await runSteps(steps, 'r1', {});

    expect((result as { error: string }).error).toMatch(
      /^step "Spin" failed on record "r1": (Evaluation timeout after 200 milliseconds|Stack overflow)/,
    );
  });

  it('stops an endless recursion at the depth limit', async () => {
    const steps = compileSteps([map('Deep', '($f := function($n) { $f($n + 1) + 1 }; $f(0))')]);

    const result = await runSteps(steps, 'r1', {});

    expect((result as { error: string }).error).toMatch(/Stack overflow/);
  });

  it('stops an expression that builds a huge sequence', async () => {
    const steps = compileSteps([map('Huge', '[1..5000000].($ * 2)')], {
      ...DEFAULT_STEP_LIMITS,
      timeoutMs: 2_000,
      maxSequence: 10_000,
    });

    const result = await runSteps(steps, 'r1', {});

    expect((result as { error: string }).error).toMatch(
      /(maximum sequence length of \d+ was exceeded|Evaluation timeout)/,
    );
  });

  it('fails a record whose step output is over the size limit, naming the step', async () => {
    const steps = compileSteps([map('Pad', '$pad("", 100000, "x")')], {
      ...DEFAULT_STEP_LIMITS,
      maxOutputBytes: 10_000,
    });

    const result = await runSteps(steps, 'r1', {});

    expect(result.kind).toBe('failed');
    expect((result as { error: string }).error).toMatch(
      /^step "Pad" failed on record "r1": its output is 100002 bytes, over the limit of 10000/,
    );
  });
});
