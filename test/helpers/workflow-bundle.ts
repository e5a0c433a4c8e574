import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundle } from '@temporalio/worker';
import { projectRoot } from '../../src/local/project-paths';

const bundles = new Map<string, Promise<WorkflowBundle>>();

/**
 * The webpack bundle of a workflows module (by default the project's), built once: jest gives
 * every test file its own module registry, so besides this module's cache the code is kept in
 * the run directory from global setup, where the other files and workers pick it up.
 */
export function workflowBundle(
  workflowsPath = path.join(projectRoot(), 'src/workflows/index.ts'),
): Promise<WorkflowBundle> {
  let bundle = bundles.get(workflowsPath);
  if (!bundle) {
    bundle = loadOrBuild(workflowsPath);
    bundles.set(workflowsPath, bundle);
  }
  return bundle;
}

async function loadOrBuild(workflowsPath: string): Promise<WorkflowBundle> {
  const runDir = process.env.TEST_RUN_DIR;
  const key = crypto.createHash('sha256').update(workflowsPath).digest('hex').slice(0, 16);
  const file = runDir && path.join(runDir, `workflow-bundle-${key}.js`);

  const cached = file ? await fs.readFile(file, 'utf8').catch(() => undefined) : undefined;
  if (cached !== undefined) {
    return { code: cached };
  }

  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  if (file) {
    // Write, then rename: a file reading the bundle never sees half of it.
    const partial = `${file}.${process.pid}`;
    await fs.writeFile(partial, code);
    await fs.rename(partial, file);
  }
  return { code };
}
