import fs from 'node:fs';
import path from 'node:path';

/**
 * The repository root, found by walking up from this file, so the same code works from `src/`
 * under tsx and jest and from `dist/` after a build.
 */
export function projectRoot(): string {
  let dir = __dirname;
  while (!isProjectRoot(dir)) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`No processflow checkout (package.json next to tools/) above ${__dirname}.`);
    }
    dir = parent;
  }
  return dir;
}

export function toolPath(script: string): string {
  return path.join(projectRoot(), 'tools', script);
}

function isProjectRoot(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'tools'));
}
