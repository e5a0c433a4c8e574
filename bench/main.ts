import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { projectRoot } from '../src/local/project-paths';
import { type BenchStack, startBenchStack } from './bench-stack';
import { figuresOf, formatMarkdown, formatTable } from './report';
import type { BenchResults, MachineInfo } from './results';
import { failureWave } from './scenarios/failure-wave';
import { mainRun } from './scenarios/main-run';
import { memoryRun } from './scenarios/memory';
import { referenceLimit } from './scenarios/reference-limit';
import { syncInfoLoad } from './scenarios/sync-info-load';

const SCENARIOS = ['main', 'wave', 'sync-info', 'memory'] as const;
type Scenario = (typeof SCENARIOS)[number];
/** The 100 000-record wave runs when the 10 000 one suggests it ends within this. */
const WAVE_100K_BUDGET_S = 600;
const WARM_UP_RECORDS = 2_000;

const say = (text: string) => process.stdout.write(`${text}\n`);

/**
 * `npm run bench [-- --only main,wave,sync-info,memory] [-- --quick]`: the scenarios of
 * bench/README.md on a stack of their own; prints the table and writes bench/results/<date>.json.
 */
async function main() {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } },
  });
  const only = new Set((values.only?.split(',') ?? SCENARIOS) as Scenario[]);
  const quick = values.quick;
  const pageSize = loadConfig().pageSize;

  say('Starting Postgres, Temporal, the API and an agent for the bench (.data/bench)…');
  const stack = await startBenchStack();
  // Ctrl-C stops the bench's own servers rather than leaving them running.
  process.once('SIGINT', () => void stack.stop().finally(() => process.exit(130)));
  const results: BenchResults = { machine: await machineInfo(stack, pageSize), errors: [] };
  // A scenario that fails is recorded and the others still run.
  const scenario = async (name: Scenario, run: () => Promise<void>) => {
    if (!only.has(name)) return;
    try {
      await run();
    } catch (error) {
      say(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      results.errors!.push({ scenario: name, error: String(error) });
      process.exitCode = 1;
    }
  };
  try {
    await scenario('main', async () => {
      // The agent's first run compiles its code paths; the figures are of a warm agent.
      say(`warm-up, ${WARM_UP_RECORDS} records (not reported)…`);
      await mainRun(stack, WARM_UP_RECORDS);
      results.mainRuns = [];
      results.referenceLimits = [];
      for (const count of quick ? [10_000] : [10_000, 100_000]) {
        say(`main run, ${count} records…`);
        results.mainRuns.push(await mainRun(stack, count));
        say(`reference limit, ${count} records…`);
        results.referenceLimits.push(await referenceLimit(stack, count, pageSize));
      }
    });
    await scenario('wave', async () => {
      say('failure wave, 10 000 records…');
      const small = await failureWave(stack, 10_000, { slot: true });
      results.failureWaves = [small];
      const projected = small.absorbedSeconds * 10;
      if (!quick && projected <= WAVE_100K_BUDGET_S) {
        say('failure wave, 100 000 records…');
        results.failureWaves.push(await failureWave(stack, 100_000, { slot: false }));
      } else {
        say(`100 000-record wave skipped: 10 × the 10 000 one is ${Math.round(projected)} s`);
      }
    });
    await scenario('sync-info', async () => {
      say('Sync Info under load…');
      results.syncInfo = await syncInfoLoad(stack, quick ? 100_000 : 1_000_000, quick ? 50 : 200);
    });
    await scenario('memory', async () => {
      results.memory = [];
      for (const count of quick ? [10_000, 100_000] : [10_000, 1_000_000]) {
        say(`memory, ${count} records…`);
        results.memory.push(await memoryRun(stack, count));
      }
    });
  } finally {
    results.machine.loadAverage.end = os.loadavg();
    await stack.stop();
  }

  const figures = figuresOf(results);
  say(formatTable(figures));
  const dir = join(projectRoot(), 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${results.machine.date.replace(/[:.]/g, '-')}.json`);
  await writeFile(
    file,
    `${JSON.stringify({ ...results, table: formatMarkdown(figures) }, null, 2)}\n`,
  );
  say(`Results: ${file}`);
}

async function machineInfo(stack: BenchStack, pageSize: number): Promise<MachineInfo> {
  const { rows } = await stack.db.raw<{ rows: { server_version: string }[] }>(
    'show server_version',
  );
  const sdk = JSON.parse(
    await readFile(
      join(projectRoot(), 'node_modules', '@temporalio', 'client', 'package.json'),
      'utf8',
    ),
  ) as { version: string };
  const cli = await stack.temporal.workflowService.getSystemInfo({});
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: rows[0].server_version,
    temporalCli: cli.serverVersion ?? 'unknown',
    temporalSdk: sdk.version,
    pageSize,
    loadAverage: { start: os.loadavg() },
  };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `npm run bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
