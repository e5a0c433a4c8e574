import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one fault case checked, printed by the suite at the end. */
export interface CaseFigures {
  case: string;
  recordsChecked: number;
  lost: number;
  duplicated: number;
  wrongTries: number;
  stuck: number;
  /** Anything else the case measured, e.g. writes per retry slot. */
  notes?: Record<string, unknown>;
}

const figuresFile = () => join(process.env.TEST_RUN_DIR ?? '.', 'fault-figures.jsonl');

export function recordFigures(figures: CaseFigures): void {
  appendFileSync(figuresFile(), `${JSON.stringify(figures)}\n`);
}

export function readFigures(): CaseFigures[] {
  const file = figuresFile();
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CaseFigures);
}

export function formatFigures(all: CaseFigures[]): string {
  const total = (key: 'recordsChecked' | 'lost' | 'duplicated' | 'wrongTries' | 'stuck') =>
    all.reduce((sum, figures) => sum + figures[key], 0);
  const rows = all.map(
    (f) =>
      `  ${f.case.padEnd(62)} records ${String(f.recordsChecked).padStart(4)}  lost ${f.lost}  ` +
      `duplicated ${f.duplicated}  wrong tries ${f.wrongTries}  stuck ${f.stuck}` +
      (f.notes ? `  ${JSON.stringify(f.notes)}` : ''),
  );
  return [
    'Fault suite figures',
    ...rows,
    `  cases run ${all.length}, records checked ${total('recordsChecked')}, lost ${total('lost')}, ` +
      `duplicated ${total('duplicated')}, wrong tries ${total('wrongTries')}, stuck ${total('stuck')}`,
  ].join('\n');
}
