import { ApiHarness } from './api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});

afterAll(() => api?.stop());

describe('PUT /environments/:name', () => {
  it('creates the environment and answers 201', async () => {
    const response = await api.http.put('/environments/production').send({ description: 'Live' });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: 'production', description: 'Live' });
    expect(response.headers.location).toBe('/environments/production');
  });

  it('updates the description of an existing one and answers 200', async () => {
    await api.http.put('/environments/staging').send({ description: 'old' }).expect(201);

    const response = await api.http.put('/environments/staging').send({ description: 'new' });

    expect(response.status).toBe(200);
    expect(response.body.description).toBe('new');
  });

  it('accepts no body at all', async () => {
    const response = await api.http.put('/environments/bare');

    expect(response.status).toBe(201);
    expect(response.body.description).toBe('');
  });

  it('answers 400 naming unknown fields and names that cannot be task queues', async () => {
    const unknown = await api.http.put('/environments/qa').send({ descripton: 'typo' });
    const badName = await api.http.put('/environments/QA%20env').send({});

    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { path: 'body.descripton', message: 'unknown field; known: description' },
    ]);
    expect(badName.status).toBe(400);
    expect(badName.body.errors[0].path).toBe('params.name');
  });
});

describe('GET /environments', () => {
  it('lists environments by name', async () => {
    await api.http.put('/environments/zeta').send({}).expect(201);
    await api.http.put('/environments/alpha').send({}).expect(201);

    const response = await api.http.get('/environments');

    expect(response.status).toBe(200);
    const names = response.body.environments.map((e: { name: string }) => e.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['alpha', 'zeta']));
  });
});

describe('GET /environments/:name', () => {
  it('shows an environment without agents as inactive', async () => {
    await api.http.put('/environments/detached').send({}).expect(201);

    const response = await api.http.get('/environments/detached');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'detached',
      active: false,
      agents: [],
      taskQueue: 'processflow-detached',
    });
  });

  it('shows the agents of an active environment', async () => {
    await api.http.put('/environments/attached').send({}).expect(201);
    api.probe.attach('attached', 'worker-1@host');

    const response = await api.http.get('/environments/attached');

    expect(response.body.active).toBe(true);
    expect(response.body.agents).toEqual([
      { identity: 'worker-1@host', lastSeenAt: expect.any(String) },
    ]);
  });

  it('answers 404 for an unknown environment', async () => {
    const response = await api.http.get('/environments/nowhere');

    expect(response.status).toBe(404);
    expect(response.body.detail).toBe('environment "nowhere" does not exist');
  });
});
