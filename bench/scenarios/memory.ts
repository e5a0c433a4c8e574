import type { BenchStack } from '../bench-stack';
import { writeCitiesFile } from '../cities';
import { createCitiesTable, deployCitiesFlow, executionSeconds, runToEnd } from '../flows';

export interface MemoryResult {
  records: number;
  peakRssMb: number;
  seconds: number;
  recordsPerSecond: number;
}

/** A fresh agent syncs `count` cities streamed from a file; answers its peak resident memory. */
export async function memoryRun(stack: BenchStack, count: number): Promise<MemoryResult> {
  const file = await writeCitiesFile(stack.filesDir, count);
  const table = `memory_${count}`;
  await createCitiesTable(stack, table);
  const deploymentId = await deployCitiesFlow(stack, { name: `memory-${count}`, file, table });
  const worker = await stack.restartWorker();

  const execution = await runToEnd(stack, deploymentId, 2 * 60 * 60_000);
  const seconds = executionSeconds(execution);
  return {
    records: count,
    peakRssMb: (await worker.peakRssBytes()) / 2 ** 20,
    seconds,
    recordsPerSecond: count / seconds,
  };
}
