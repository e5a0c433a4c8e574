import { Command, CommanderError } from 'commander';
import { CliApi, type GlobalOptions } from './cli-api';
import { addEnvironmentCommands } from './commands/environment-commands';
import { addReportCommands } from './commands/report-commands';
import { addResyncCommand } from './commands/resync-command';
import { addRunCommands } from './commands/run-commands';
import { addScheduleCommands } from './commands/schedule-commands';
import { addSyncInfoCommands } from './commands/sync-info-commands';
import { addTokenCommands } from './commands/token-commands';
import { CliError, ExitCode, type ExitCodeValue } from './exit-codes';

const DEFAULT_API = 'http://127.0.0.1:3000';

const EXIT_CODES_HELP = `
Exit codes:
  0  done                    5  no token, or not allowed
  1  unexpected error        6  API unreachable or 5xx
  2  wrong command line      7  input refused by the API
  3  not found               8  ran to the end, some records failed
  4  not possible now        9  the run or resync failed or was cancelled`;

/** The `processflow` command line over the HTTP API. */
export function createProgram(env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('processflow')
    .description('Operate processflow through its HTTP API')
    .option(
      '--api <url>',
      'the API (env PROCESSFLOW_API_URL)',
      env.PROCESSFLOW_API_URL ?? DEFAULT_API,
    )
    .option('--token <token>', 'API token (env PROCESSFLOW_TOKEN)')
    .option('--json', 'print what the API answered, as JSON')
    .addHelpText('after', EXIT_CODES_HELP)
    .showHelpAfterError()
    .exitOverride();

  // The token is read from the environment here, not given as the option's default: commander
  // prints defaults in its help, and a token must not appear on a screen or in a terminal log.
  const api = () => {
    const options = program.opts<GlobalOptions>();
    if (!/^https?:$/.test(URL.parse(options.api)?.protocol ?? '')) {
      throw new CliError(
        `the API address "${options.api}" (--api or PROCESSFLOW_API_URL) is not an http(s) ` +
          `URL; give one such as ${DEFAULT_API}`,
        ExitCode.usage,
      );
    }
    return new CliApi({ ...options, token: options.token ?? env.PROCESSFLOW_TOKEN });
  };
  addEnvironmentCommands(program, api);
  addRunCommands(program, api);
  addSyncInfoCommands(program, api);
  addResyncCommand(program, api);
  addScheduleCommands(program, api);
  addReportCommands(program, api);
  addTokenCommands(program, api);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

/** Runs the command line; answers the exit code and writes errors to stderr. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const program = createProgram(env);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return (process.exitCode as ExitCodeValue | undefined) ?? ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; commander has already printed what was wrong.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`processflow: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`processflow: ${(error as Error).stack ?? String(error)}\n`);
    return ExitCode.internal;
  }
}
