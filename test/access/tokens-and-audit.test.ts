import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ApiHarness } from '../api/api-harness';

const run = promisify(execFile);
let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});

afterAll(() => api?.stop());

/** `npm run tokens -- …` against the test database, as an operator runs it. */
async function tokensScript(...args: string[]) {
  return run('npx', ['tsx', 'src/access/tokens-main.ts', ...args], {
    env: { ...process.env, DATABASE_URL: api.db.url, LOG_LEVEL: 'silent' },
  });
}

describe('the tokens script', () => {
  it('creates the first admin token, which the API then accepts', async () => {
    const { stdout } = await tokensScript('create', '--name', 'first admin', '--role', 'admin');
    const token = /^(pft_\S+)$/m.exec(stdout)![1];

    const response = await api.as(token).get('/tokens');

    expect(stdout).toMatch(/created token [0-9a-f]{16} "first admin": admin, every environment/);
    expect(response.status).toBe(200);
    expect(response.body.tokens.map((t: { name: string }) => t.name)).toContain('first admin');
  });

  it('keeps only a hash: the token text is nowhere in the database', async () => {
    const { stdout } = await tokensScript('create', '--name', 'ci', '--role', 'viewer');
    const token = /^(pft_\S+)$/m.exec(stdout)![1];
    const secretPart = token.split('_').at(-1)!;

    const { rows } = await api.db.knex.raw('select t::text as row from api_tokens t');
    const audit = await api.db.knex.raw('select a::text as row from audit_events a');

    for (const { row } of [...rows, ...audit.rows]) expect(row).not.toContain(secretPart);
  });

  it('lists tokens with their scope and revokes one, which the API then refuses', async () => {
    const { stdout } = await tokensScript(
      'create',
      '--name',
      'staging ops',
      '--role',
      'operator',
      '--environment',
      'staging',
    );
    const token = /^(pft_\S+)$/m.exec(stdout)![1];
    const id = /created token ([0-9a-f]{16})/.exec(stdout)![1];

    const listed = await tokensScript('list');
    await tokensScript('revoke', id);
    await tokensScript('revoke', id);
    const response = await api.as(token).get('/openapi.json');
    const revokes = await api.db.knex('audit_events').where({ action: 'token.revoke', target: id });

    expect(listed.stdout).toMatch(
      new RegExp(`${id}\\s+operator\\s+staging ops\\s+\\(environments staging; active\\)`),
    );
    expect(response.status).toBe(401);
    expect(revokes).toHaveLength(1);
  });

  it('exits 2 with the usage when a command is incomplete or malformed', async () => {
    const failure = await tokensScript('create', '--name', 'x').catch((error) => error);
    const role = await tokensScript('create', '--name', 'x', '--role', 'root').catch((e) => e);
    const days = await tokensScript(
      'create',
      '--name',
      'x',
      '--role',
      'viewer',
      '--expires-in-days',
      '-3',
    ).catch((e) => e);

    expect(failure.code).toBe(2);
    expect(failure.stderr).toMatch(/create needs --name and --role/);
    expect([role.code, days.code]).toEqual([2, 2]);
    expect(role.stderr).toMatch(/--role is one of viewer, operator, admin, not "root"/);
    expect(days.stderr).toMatch(/--expires-in-days/);
    expect(days.stderr).not.toMatch(/at .*\.ts:/);
  });
});

describe('a token that has expired', () => {
  it('is refused', async () => {
    const token = await api.token('viewer');
    await api.db
      .knex('api_tokens')
      .update({ expires_at: new Date(Date.now() - 1000) })
      .where('name', 'test viewer');

    expect((await api.as(token).get('/environments')).status).toBe(401);
  });
});

describe('the audit log', () => {
  it('records who deployed, executed, resynced and cancelled, readable by an admin', async () => {
    const operator = await api.token('operator', ['audited']);
    await api.http.put('/environments/audited').send({});
    await api.http.post('/processflows').send(api.definition('ledger'));
    await api.http.put('/environments/audited/deployments/ledger').send({});
    api.probe.attach('audited');
    const execution = await api.as(operator).post('/deployments/ledger%40audited/executions');
    await api.seedRun('ledger@audited', [{ sourceId: 'a1', status: 'Failed' }]);
    await api
      .as(operator)
      .post('/deployments/ledger%40audited/resyncs')
      .send({ sourceIds: ['a1'] });
    await api.as(operator).post(`/executions/${execution.body.id}/cancel`);

    const response = await api.http.get('/audit-events?environment=audited');

    expect(response.status).toBe(200);
    expect(
      response.body.events.map((e: { action: string; actor: string; target: string }) => [
        e.action,
        e.actor,
        e.target,
      ]),
    ).toEqual([
      ['execution.cancel', 'test operator', 'ledger@audited'],
      ['resync.start', 'test operator', 'ledger@audited'],
      ['execution.start', 'test operator', 'ledger@audited'],
      ['deployment.deploy', 'test admin', 'ledger@audited'],
      ['environment.create', 'test admin', 'audited'],
    ]);
    expect(response.body.events[2].details.executionId).toBe(execution.body.id);
    expect(Date.parse(response.body.events[0].at)).not.toBeNaN();
  });

  it("shows a scoped admin only its environments' events", async () => {
    const scoped = await api.token('admin', ['audited']);

    const response = await api.as(scoped).get('/audit-events?limit=1000');

    const environments = new Set(
      response.body.events.map((e: { environment: string }) => e.environment),
    );
    expect([...environments]).toEqual(['audited']);
  });

  it('pages newest first with nextBefore', async () => {
    const first = await api.http.get('/audit-events?limit=2');
    const second = await api.http.get(`/audit-events?limit=2&before=${first.body.nextBefore}`);

    expect(first.body.events).toHaveLength(2);
    expect(second.body.events[0].id).toBeLessThan(first.body.events[1].id);
  });
});
