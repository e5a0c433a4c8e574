import Table from 'cli-table3';
import type { BenchResults } from './results';

export interface Figure {
  scenario: string;
  figure: string;
  value: string;
  goal: string;
  /** true: goal met; false: missed; null: no goal. */
  met: boolean | null;
}

const fixed = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The figures of a run, one line each, with the goal each one is held to. */
export function figuresOf(results: BenchResults): Figure[] {
  const figures: Figure[] = [];
  const add = (
    scenario: string,
    figure: string,
    value: string,
    goal = '',
    met: boolean | null = null,
  ) => figures.push({ scenario, figure, value, goal, met });

  for (const run of results.mainRuns ?? []) {
    const reference = results.referenceLimits?.find((r) => r.records === run.records);
    add(
      '1 main run',
      `${fixed(run.records)} records`,
      `${fixed(run.recordsPerSecond)} rec/s (${fixed(run.seconds, 1)} s)`,
    );
    if (reference) {
      add(
        '1 main run',
        `reference limit, ${fixed(run.records)}`,
        `${fixed(reference.recordsPerSecond)} rec/s`,
      );
      const ratio = run.recordsPerSecond / reference.recordsPerSecond;
      add(
        '1 main run',
        `ratio, ${fixed(run.records)}`,
        `${fixed(ratio * 100)} %`,
        '≥ 50 %',
        ratio >= 0.5,
      );
    }
  }
  const mainPerRecord =
    results.mainRuns?.[0] && results.mainRuns[0].seconds / results.mainRuns[0].records;
  for (const wave of results.failureWaves ?? []) {
    const n = fixed(wave.records);
    const within = wave.records >= 100_000 ? wave.absorbedSeconds <= 300 : null;
    add(
      '2 failure wave',
      `${n} failing: all lifecycles waiting`,
      `${fixed(wave.absorbedSeconds, 1)} s (${fixed(wave.lifecyclesPerSecond)}/s)`,
      wave.records >= 100_000 ? '≤ 300 s' : '100 000 in ≤ 300 s',
      within,
    );
    add('2 failure wave', `${n}: Temporal actions per record`, fixed(wave.actionsPerRecord, 2));
    add(
      '2 failure wave',
      `server limit: bare delayed starts`,
      `${fixed(wave.serverStartsPerSecond)}/s`,
    );
    add(
      '2 failure wave',
      `${n}: dev server errors (deadline exceeded)`,
      `${wave.serverErrors} (${wave.deadlineExceeded})`,
    );
    if (wave.slot) {
      const ratio = mainPerRecord && wave.slot.secondsPerRecord / mainPerRecord;
      add(
        '2 failure wave',
        `slot of ${fixed(wave.slot.records)} records`,
        ratio
          ? `${fixed(wave.slot.seconds, 1)} s, ${fixed(ratio, 2)}× a main run's cost per record`
          : `${fixed(wave.slot.seconds, 1)} s (no main run to compare with)`,
        '≤ 2×',
        ratio ? ratio <= 2 : null,
      );
      const calls = Object.entries(wave.slot.calls).sort((a, b) => b[1] - a[1]);
      for (const [name, seconds] of calls.slice(0, 4)) {
        add('2 failure wave', `slot: ${name}`, `${fixed(seconds, 1)} s`);
      }
    }
  }
  if (results.syncInfo) {
    for (const f of results.syncInfo.figures) {
      const met = f.p95Ms <= 25 && f.p50Ms <= 10;
      add(
        '3 Sync Info',
        `${f.name}, ${fixed(results.syncInfo.ledgerRows)} rows`,
        `p50 ${fixed(f.p50Ms, 1)} ms, p95 ${fixed(f.p95Ms, 1)} ms`,
        'p50 ≤ 10, p95 ≤ 25 ms',
        met,
      );
    }
  }
  const memory = results.memory ?? [];
  for (const m of memory) {
    add(
      '4 memory',
      `peak RSS, ${fixed(m.records)} records`,
      `${fixed(m.peakRssMb)} MB (${fixed(m.recordsPerSecond)} rec/s)`,
    );
  }
  if (memory.length >= 2) {
    const ratio = memory[memory.length - 1].peakRssMb / memory[0].peakRssMb;
    add(
      '4 memory',
      `ratio ${fixed(memory[memory.length - 1].records)} / ${fixed(memory[0].records)}`,
      `${fixed(ratio, 2)}×`,
      '≤ 1.2×',
      ratio <= 1.2,
    );
  }
  const profiled = results.mainRuns?.[results.mainRuns.length - 1];
  if (profiled) {
    const p = profiled.profile;
    const share = (s: number) => `${fixed(s, 1)} s (${fixed((s / p.wallSeconds) * 100)} %)`;
    add('5 profile', `Temporal: between pages`, share(p.temporal.betweenActivitiesSeconds));
    add('5 profile', `Temporal: page queued`, share(p.temporal.queueSeconds));
    const calls = Object.entries(p.calls).sort((a, b) => b[1] - a[1]);
    for (const [name, seconds] of calls.slice(0, 8)) add('5 profile', name, share(seconds));
    add('5 profile', 'JSONata', share(p.jsonataSeconds));
    if (p.otherSeconds >= 0) add('5 profile', 'rest of the activities', share(p.otherSeconds));
    else add('5 profile', 'done while the page before was written', share(-p.otherSeconds));
  }
  return figures;
}

export function formatTable(figures: Figure[]): string {
  const table = new Table({
    head: ['scenario', 'figure', 'value', 'goal', ''],
    style: { head: [], border: [] },
  });
  for (const f of figures) {
    table.push([
      f.scenario,
      f.figure,
      f.value,
      f.goal,
      f.met === null ? '' : f.met ? 'met' : 'missed',
    ]);
  }
  return table.toString();
}

/** The same table in Markdown, for bench/README.md. */
export function formatMarkdown(figures: Figure[]): string {
  const lines = ['| scenario | figure | value | goal | |', '| --- | --- | --- | --- | --- |'];
  for (const f of figures) {
    lines.push(
      `| ${f.scenario} | ${f.figure} | ${f.value} | ${f.goal} | ${f.met === null ? '' : f.met ? 'met' : 'missed'} |`,
    );
  }
  return lines.join('\n');
}
