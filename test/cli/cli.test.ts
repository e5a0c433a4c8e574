import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createApp } from '../../src/api/create-app';
import { systemActor } from '../../src/domain/access';
import { createLogger } from '../../src/logger';
import { ProcessflowHarness } from '../helpers/processflow-harness';
import { type CliResult, runProcessflow } from './cli-runner';

let harness: ProcessflowHarness;
let server: Server;
let env: Record<string, string>;
let deploymentId: string;

beforeAll(async () => {
  harness = await ProcessflowHarness.start();
  const app = createApp({ services: harness.services, log: createLogger('silent') });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const { secret } = await harness.services.tokens.create(
    { name: 'cli-admin', role: 'admin' },
    systemActor('test'),
  );
  env = { PROCESSFLOW_API_URL: `http://127.0.0.1:${port}`, PROCESSFLOW_TOKEN: secret };

  await harness.db.knex.raw(
    'create table dest.people (id integer primary key, name text not null)',
  );
  await harness.writeJsonLines('people.jsonl', [
    { id: 1, name: 'Ada' },
    { id: 2, name: null },
    { id: 3, name: 'Zoë' },
  ]);
  deploymentId = `people@${harness.environment}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await harness?.stop();
});

const cli = (...args: string[]): Promise<CliResult> => runProcessflow(args, env);

describe('processflow deploy, run, status', () => {
  it('saves a YAML definition and deploys it', async () => {
    const file = join(harness.files, 'people.yaml');
    await writeFile(file, stringify(harness.definition('people', 'people.jsonl', 'people')));

    const result = await cli('deploy', 'people', '--env', harness.environment, '--file', file);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('saved: people version 1');
    expect(result.stdout).toContain(`deployed ${deploymentId} version 1`);
  });

  it('runs and waits; exit code 8 says that some records failed', async () => {
    const result = await cli('run', deploymentId, '--wait');

    expect(result.code).toBe(8);
    expect(result.stdout).toMatch(/completed: 3 fetched, 2 succeeded, 1 failed/);
  });

  it('shows the deployment and its executions', async () => {
    const result = await cli('status', deploymentId);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${deploymentId}: version 1, deployed`);
    expect(result.stdout).toMatch(/│ 1 \(#1\)\s+│ main\s+│ api\s+│ completed │ 3\s+│ 2\s+│ 1/);
  });

  it('lists the environment with its deployments and counts', async () => {
    const result = await cli('environments', harness.environment);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${harness.environment}: active`);
    expect(result.stdout).toMatch(
      new RegExp(`${deploymentId}\\s+│ 1\\s+│ deployed │ 2\\s+│ 1\\s+│ 0`),
    );
  });
});

describe('processflow sync-info and snapshots', () => {
  it('prints a table filtered like the API, and the same answer as JSON', async () => {
    const table = await cli('sync-info', deploymentId, '--status', 'Failed');
    const json = await cli('--json', 'sync-info', deploymentId, '--status', 'Failed');

    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/│ 2\s+│ Test file │ Failed │ .* main │ 1\s+│/);
    expect(table.stdout).toContain('null value in column "name"');
    expect(table.stdout).toContain('1 record\n');
    const body = JSON.parse(json.stdout);
    expect(body.records.map((r: { sourceId: string }) => r.sourceId)).toEqual(['2']);
    expect(body.environment).toMatchObject({ name: harness.environment, active: true });
  });

  it("prints a record's snapshots with every node", async () => {
    const result = await cli('snapshots', deploymentId, '2');

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^2: Failed, 1 tries/m);
    expect(result.stdout).toMatch(/try 1 \(main\) Failed at .* execution \d+ execution\//);
    expect(result.stdout).toContain('Test file: {"id":2,"name":null}');
  });
});

describe('processflow resync', () => {
  it('counts first with --dry-run and changes nothing', async () => {
    const result = await cli('resync', deploymentId, '--dry-run');

    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('1 record to resync');
    expect((await harness.ledger(deploymentId)).find((r) => r.source_id === '2').tries).toBe(1);
  });

  it('runs, follows the progress to the end, and exits 0 when every record succeeds', async () => {
    await harness.writeJsonLines('people.jsonl', [
      { id: 1, name: 'Ada' },
      { id: 2, name: 'Grace' },
      { id: 3, name: 'Zoë' },
    ]);

    const result = await cli('resync', deploymentId, '2');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1 record to resync');
    expect(result.stdout).toMatch(/resync \[.*\] 1\/1 records, 0 failed/);
    expect(result.stdout).toMatch(/resync [0-9a-f-]+ completed: 1 succeeded, 0 failed of 1/);
    expect((await harness.ledger(deploymentId)).find((r) => r.source_id === '2')).toMatchObject({
      status: 'Success',
      tries: 2,
    });
  });

  it('exits 3 when none of the named records can be resynced, 0 when a filter takes none', async () => {
    const named = await cli('resync', deploymentId, 'nobody', '2');
    const filtered = await cli('resync', deploymentId, '--status', 'Failed');

    expect(named.code).toBe(3);
    expect(named.stdout).toContain('not taken (unknown or already Success): nobody, 2');
    expect(named.stderr).toContain('none of the named records can be resynced');
    expect(filtered.code).toBe(0);
    expect(filtered.stdout).toContain('0 records to resync');
  });
});

describe('processflow schedule', () => {
  it('sets, pauses and removes a schedule', async () => {
    const set = await cli(
      'schedule',
      'set',
      deploymentId,
      '--every',
      '2h',
      '--timezone',
      'Europe/Paris',
    );
    const paused = await cli('schedule', 'pause', deploymentId, '--note', 'migration');
    const listed = await cli('environments', harness.environment);
    const removed = await cli('schedule', 'remove', deploymentId);
    const removedAgain = await cli('schedule', 'remove', deploymentId);
    const removals = await harness.db
      .knex('audit_events')
      .where({ action: 'schedule.remove', target: deploymentId })
      .count<{ count: string }[]>('* as count');

    expect(set.code).toBe(0);
    expect(set.stdout).toContain(`${deploymentId}: every 2 h (Europe/Paris)`);
    expect(set.stdout).toMatch(/next runs: \d{4}-\d\d-\d\d \d\d:00:00Z/);
    expect(paused.stdout).toContain('PAUSED: migration');
    expect(listed.stdout).toContain('every 2 h (Europe/Paris), paused');
    expect(removed).toMatchObject({ code: 0, stdout: `${deploymentId}: schedule removed\n` });
    expect(removedAgain.code).toBe(0);
    expect(Number(removals[0].count)).toBe(1);
  });
});

describe('processflow tokens and report', () => {
  it('creates a token that is printed once, and lists it', async () => {
    const created = await cli('tokens', 'create', 'dashboards', '--role', 'viewer');
    const listed = await cli('tokens', 'list');

    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^created [0-9a-f]{16} \(dashboards, viewer\)\npft_/);
    expect(listed.stdout).toMatch(/dashboards\s+│ viewer/);
  });

  it('makes the daily report and shows its figures', async () => {
    await cli('report', 'configure', harness.environment, '--at', '07:00');
    const run = await cli('report', 'run', harness.environment);
    await harness.waitUntil(
      async () => (await harness.services.reports.list(harness.environment, 1)).length > 0,
    );

    const shown = await cli('report', 'show', harness.environment);

    expect(run.code).toBe(0);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`${deploymentId}\\s+│ 3\\s+│ 1\\s+│ 0`));
  });
});

describe('errors say what to do, with exit codes scripts can rely on', () => {
  it('exits 5 without a token, naming how to get one', async () => {
    const result = await runProcessflow(['sync-info', deploymentId], {
      PROCESSFLOW_API_URL: env.PROCESSFLOW_API_URL,
      PROCESSFLOW_TOKEN: '',
    });

    expect(result.code).toBe(5);
    expect(result.stderr).toContain('Set PROCESSFLOW_TOKEN or pass --token');
  });

  it('exits 3 for a deployment that does not exist', async () => {
    const result = await cli('status', `nothing@${harness.environment}`);

    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`deployment "nothing@${harness.environment}" does not exist`);
  });

  it('exits 4 when no agent serves the environment', async () => {
    const idle = `${harness.environment}-idle`;
    await harness.services.environments.upsert(idle, 'no agent');
    await harness.services.deployments.deploy({ environmentName: idle, processflowName: 'people' });

    const result = await cli('run', `people@${idle}`);

    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`environment "${idle}"`);
  });

  it('exits 7 for input the API refuses, naming the field', async () => {
    const result = await cli('schedule', 'set', deploymentId, '--every', '5h');

    expect(result.code).toBe(7);
    expect(result.stderr).toContain('body.everyHours: one of 1, 2, 3, 4, 6, 8, 12');
  });

  it('exits 2 for a wrong command line, and 6 when the API cannot be reached', async () => {
    const usage = await cli('resync');
    const help = await cli('--help');
    const down = await cli('--api', 'http://127.0.0.1:1', 'environments');

    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("missing required argument 'deployment'");
    expect(help.stdout).toContain('--token <token>');
    expect(usage.stderr + usage.stdout + help.stdout).not.toContain(env.PROCESSFLOW_TOKEN);
    expect(down.code).toBe(6);
    expect(down.stderr).toContain('cannot reach the API at http://127.0.0.1:1');
  });

  it('exits 2, before any request, for numbers, ids and addresses it cannot use', async () => {
    const answers = await Promise.all([
      cli('deploy', 'people', '--env', harness.environment, '--flow-version', 'abc'),
      cli('deploy', 'people', '--env', harness.environment, '--flow-version', '0'),
      cli('sync-info', deploymentId, '--limit', '1e3'),
      cli('snapshots', deploymentId, ''),
      cli('--api', 'not-a-url', 'environments'),
    ]);

    expect(answers.map((answer) => answer.code)).toEqual([2, 2, 2, 2, 2]);
    expect(answers[0].stderr).toContain("option '--flow-version <n>' argument 'abc' is invalid");
    expect(answers[1].stderr).toContain('Expected a number from 1 to');
    expect(answers[2].stderr).toContain("option '-l, --limit <n>' argument '1e3' is invalid");
    expect(answers[3].stderr).toContain(
      "value '' is invalid for argument 'sourceId'. It must not be empty",
    );
    expect(answers[4].stderr).toContain('"not-a-url" (--api or PROCESSFLOW_API_URL) is not');
  });
});
