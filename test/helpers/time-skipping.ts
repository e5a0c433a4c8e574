import type { SearchAttributeType } from '@temporalio/common';
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { isDownloadFailure } from '../../src/local/download-failure';
import { toolPath } from '../../src/local/project-paths';
import { runTool } from '../../src/local/run-tool';
import { registerSearchAttributes } from '../../src/local/search-attributes';
import { trackOpenResource } from './open-resources';

/**
 * A time-skipping test environment with the given custom search attributes registered (the
 * test server rejects workflows that set unregistered ones). Call `teardown()` in afterAll.
 *
 * The SDK downloads the test server by default. Where it cannot, the Java test server from
 * tools/temporal-test-server.sh runs instead; TEMPORAL_TEST_SERVER_PATH names a binary to use
 * without trying either.
 */
export async function createTimeSkippingEnv(
  searchAttributeKeys: readonly SearchAttributeKey<SearchAttributeType>[] = [],
): Promise<TestWorkflowEnvironment> {
  const env = await startTestServer();
  try {
    await registerSearchAttributes(env.connection, searchAttributeKeys, env.namespace ?? 'default');
  } catch (err) {
    await env.teardown();
    throw err;
  }

  const release = trackOpenResource('Time-skipping environment from createTimeSkippingEnv()');
  const teardown = env.teardown.bind(env);
  env.teardown = async () => {
    await teardown();
    release();
  };
  return env;
}

async function startTestServer(): Promise<TestWorkflowEnvironment> {
  const configured = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (configured) {
    return startFromPath(configured);
  }

  try {
    return await TestWorkflowEnvironment.createTimeSkipping();
  } catch (err) {
    if (!isDownloadFailure(err)) {
      throw err;
    }
  }

  // Quick once provisioned; the first time it resolves jars with Maven.
  await runTool('temporal-test-server.sh', ['provision']);
  return startFromPath(toolPath('temporal-test-server.sh'));
}

function startFromPath(path: string): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
}
