import { runCli } from './program';

// A reader that stops early (`processflow sync-info … | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** `processflow …`: the package's command line. */
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`processflow: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
