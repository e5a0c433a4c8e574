import { spawn } from 'node:child_process';
import { toolPath } from './project-paths';

/**
 * Runs one of the scripts in `tools/` and returns what it printed on stdout, trimmed. Its stderr
 * goes straight to ours, so progress notes from long first-time builds stay visible.
 */
export function runTool(script: string, args: readonly string[] = []): Promise<string> {
  const file = toolPath(script);

  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve(stdout.trim());
      } else {
        reject(new Error(`${file} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}).`));
      }
    });
  });
}
