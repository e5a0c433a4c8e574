import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '../src/local/project-paths';

export interface NodeProcess {
  pid: number;
  /** Lines the process wrote to stdout, for processes that announce their addresses there. */
  stdoutLines: string[];
  /** The highest resident set size the process has had so far (Linux VmHWM), in bytes. */
  peakRssBytes(): Promise<number>;
  /** SIGINT, then the exit; SIGKILL when it has not exited after the grace time. */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * Runs one of the project's TypeScript entry points in its own Node process (tsx as a loader,
 * so the pid is the process that does the work and its memory is what we measure), with its
 * output appended to a log file.
 */
export function startNodeProcess(input: {
  entry: string;
  args?: string[];
  env: Record<string, string>;
  logFile: string;
  nodeOptions?: string[];
}): NodeProcess {
  const log = createWriteStream(input.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(input.nodeOptions ?? []),
      '--import',
      'tsx',
      join(projectRoot(), input.entry),
      ...(input.args ?? []),
    ],
    {
      cwd: projectRoot(),
      env: { ...process.env, ...input.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stdoutLines: string[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    const text = partial + chunk.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    stdoutLines.push(...lines);
  });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      log.end();
      resolve(code);
    }),
  );

  return {
    pid: child.pid!,
    stdoutLines,
    exited,
    peakRssBytes: () => peakRss(child.pid!),
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmHWM for process ${pid}: peak memory is read from Linux's /proc`);
  return Number(kb) * 1024;
}

/** Resolves once `check` answers something other than undefined; fails after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
