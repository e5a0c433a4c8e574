import type { FailureWaveResult } from './scenarios/failure-wave';
import type { MainRunResult } from './scenarios/main-run';
import type { MemoryResult } from './scenarios/memory';
import type { ReferenceResult } from './scenarios/reference-limit';
import type { SyncInfoResult } from './scenarios/sync-info-load';

export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  postgres: string;
  temporalCli: string;
  temporalSdk: string;
  pageSize: number;
  /** 1-minute load average when the run started and when it ended. */
  loadAverage: { start: number[]; end?: number[] };
}

export interface BenchResults {
  machine: MachineInfo;
  mainRuns?: MainRunResult[];
  referenceLimits?: ReferenceResult[];
  failureWaves?: FailureWaveResult[];
  syncInfo?: SyncInfoResult;
  memory?: MemoryResult[];
  /** Scenarios that failed, with why; the others' figures stand. */
  errors?: { scenario: string; error: string }[];
}
