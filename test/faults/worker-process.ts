import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { findFreePort } from '../../src/local/free-port';
import { projectRoot } from '../../src/local/project-paths';
import { trackOpenResource } from '../helpers/open-resources';

export interface WorkerProcessOptions {
  environment: string;
  /** Settings the agent reads from its environment (DATABASE_URL, PAGE_SIZE, secrets…). */
  env: Record<string, string>;
}

/**
 * `npm run worker` in a child process, as an operator runs it, so that a test can kill it
 * (SIGKILL: no chance to clean up) or stop it (SIGTERM) and start another. Its JSON log lines
 * are kept for the test to read.
 */
export class WorkerProcess {
  readonly log: string[] = [];
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly release: () => void,
  ) {
    let buffered = '';
    const keep = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      this.log.push(...lines);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (buffered) this.log.push(buffered);
        this.release();
        resolve({ code, signal });
      }),
    );
  }

  static async start(options: WorkerProcessOptions): Promise<WorkerProcess> {
    const root = projectRoot();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'src/worker.ts'), '--environment', options.environment],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          LOG_LEVEL: 'info',
          METRICS_PORT: String(await findFreePort('127.0.0.1')),
          SDK_METRICS_PORT: String(await findFreePort('127.0.0.1')),
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const release = trackOpenResource(`Worker process ${child.pid} from WorkerProcess.start()`);
    const worker = new WorkerProcess(child, release);
    await worker.waitForLog(/"msg":"agent attached"/);
    return worker;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Waits for a log line matching `pattern`; fails if the process ends first. */
  async waitForLog(pattern: RegExp): Promise<string> {
    for (;;) {
      const found = this.log.find((line) => pattern.test(line));
      if (found) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `worker ${this.pid} ended before logging ${pattern}:\n${this.log.slice(-30).join('\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Sends a signal and waits for the process to end. */
  async stop(signal: NodeJS.Signals) {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
