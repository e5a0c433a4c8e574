import { runCli } from './program';

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
