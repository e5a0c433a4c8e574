import globalTeardown from '../global-teardown';
import { formatFigures, readFigures } from './fault-figures';

/** Prints what every fault case checked, then stops the run's servers. */
export default async function faultsTeardown(): Promise<void> {
  process.stdout.write(`\n${formatFigures(readFigures())}\n`);
  await globalTeardown();
}
