import pino from 'pino';
import { startLocalStack, StackAlreadyRunningError } from './local-stack';
import { searchAttributeKeys } from '../workflows/search-attributes';
import { LocalStackConfigError, loadLocalStackConfig } from './local-stack-config';

/**
 * `npm run stack`: Postgres and Temporal for local work, until Ctrl-C. The settings for the
 * worker and the API go to stdout as environment lines, after the Temporal CLI's banner; our
 * logs go to stderr.
 */
async function main(): Promise<void> {
  const config = loadLocalStackConfig();
  const logger = pino({ level: config.logLevel }, pino.destination(2));

  // Registered here too, not only by the worker, so the UI can filter by them from the start.
  const stack = await startLocalStack(config, { searchAttributes: searchAttributeKeys, logger });
  process.stdout.write(
    [
      `DATABASE_URL=${stack.databaseUrl}`,
      `TEMPORAL_ADDRESS=${stack.temporalAddress}`,
      `TEMPORAL_NAMESPACE=${stack.temporalNamespace}`,
      `TEMPORAL_UI_URL=${stack.temporalUiUrl}`,
      '',
    ].join('\n'),
  );
  logger.info('Local stack is up; Ctrl-C stops it');

  const signal = await nextSignal();
  logger.info({ signal }, 'Stopping the local stack');
  forceExitOnRepeatedSignal(Date.now());
  await stack.stop();
  logger.info('Local stack stopped');
}

/**
 * Ctrl-C under npm or tsx delivers the signal twice within milliseconds (from the terminal and
 * relayed by the parent), so only a signal well after the first one means: stop now.
 */
function forceExitOnRepeatedSignal(stoppingSince: number): void {
  const force = (code: number) => () => {
    if (Date.now() - stoppingSince > 1000) {
      process.exit(code);
    }
  };
  process.on('SIGINT', force(130));
  process.on('SIGTERM', force(143));
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

main().catch((err: unknown) => {
  // Problems the user can fix get their message alone; anything else keeps its stack.
  const expected = err instanceof StackAlreadyRunningError || err instanceof LocalStackConfigError;
  const text = err instanceof Error ? (expected ? err.message : (err.stack ?? err.message)) : err;
  process.stderr.write(`npm run stack: ${String(text)}\n`);
  process.exit(1);
});
