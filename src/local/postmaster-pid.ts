import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

/**
 * A server killed without a clean shutdown leaves `postmaster.pid` behind. Postgres ignores the
 * file when its pid is dead, but refuses to start when the pid now belongs to another process,
 * which is common in containers where pids are small and reused. So the file goes unless the
 * pid is still a postgres process. Without /proc (macOS) the decision stays with Postgres.
 */
export async function removeStalePidFile(dataDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const content = await fs.readFile(pidFile, 'utf8').catch(() => undefined);
  if (content === undefined) {
    return;
  }

  const pid = Number(content.split('\n')[0]);
  const liveness = await postgresLiveness(pid);
  if (liveness === 'running') {
    throw new Error(
      `Postgres (pid ${pid}) is already running on ${dataDir}. Stop it first, or set ` +
        'DATABASE_URL to use it.',
    );
  }
  if (liveness === 'gone') {
    logger.warn({ pidFile, pid }, 'Removing a stale postmaster.pid left by an unclean shutdown');
    await fs.rm(pidFile, { force: true });
  }
}

export async function waitForProcessExit(pid: number, pollMs = 50): Promise<void> {
  while (isAlive(pid)) {
    await sleep(pollMs);
  }
}

async function postgresLiveness(pid: number): Promise<'running' | 'gone' | 'unknown'> {
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    return 'gone';
  }
  const command = await fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => undefined);
  if (command === undefined) {
    return 'unknown';
  }
  return command.trim() === 'postgres' ? 'running' : 'gone';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user (the postgres user, when we are root).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
