import { stringify } from 'yaml';
import { ApiHarness } from './api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});

afterAll(() => api?.stop());

const problemPaths = (body: { errors?: { path: string }[] }) =>
  (body.errors ?? []).map((error) => error.path);

describe('POST /processflows', () => {
  it('saves a JSON definition as version 1 and answers 201', async () => {
    const response = await api.http.post('/processflows').send(api.definition('orders'));

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: 'orders', version: 1, created: true });
    expect(response.headers.location).toBe('/processflows/orders/versions/1');
  });

  it('keeps one version when the same definition is saved again, with keys in another order', async () => {
    const definition = api.definition('same-twice');
    await api.http.post('/processflows').send(definition).expect(201);
    const reordered = Object.fromEntries(Object.entries(definition).reverse());

    const response = await api.http.post('/processflows').send(reordered);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'same-twice', version: 1, created: false });
  });

  it('saves a changed definition as the next version', async () => {
    await api.http.post('/processflows').send(api.definition('changing')).expect(201);

    const changed = api.definition('changing', { description: 'now with a new description' });
    const response = await api.http.post('/processflows').send(changed);

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ version: 2, created: true });
  });

  it('accepts a YAML body as application/yaml and as text/yaml', async () => {
    const yaml = stringify(api.definition('from-yaml'));

    const first = await api.http.post('/processflows').type('application/yaml').send(yaml);
    const second = await api.http.post('/processflows').type('text/yaml').send(yaml);

    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ name: 'from-yaml', version: 1 });
  });

  it('answers 400 naming the line when the YAML does not parse', async () => {
    const response = await api.http
      .post('/processflows')
      .type('application/yaml')
      .send('name: broken\nsource: [1\nsteps: 2\n');

    expect(response.status).toBe(400);
    expect(response.type).toBe('application/problem+json');
    expect(response.body.errors[0]).toMatchObject({ path: 'body' });
    expect(response.body.errors[0].message).toMatch(/line \d+/);
  });

  it('answers 400, not a crash, for YAML aliases that expand without end or lead nowhere', async () => {
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
      .concat(
        ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((k, i) => {
          const prev = String.fromCharCode(97 + i);
          return `${k}: &${k} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`;
        }),
      )
      .join('\n');

    const expanding = await api.http.post('/processflows').type('application/yaml').send(laughs);
    const dangling = await api.http
      .post('/processflows')
      .type('application/yaml')
      .send('name: *zz\n');

    expect([expanding.status, dangling.status]).toEqual([400, 400]);
    expect(expanding.body.errors[0].path).toBe('body');
    expect(dangling.body.errors[0].path).toBe('body');
  });

  it('answers 400 naming each missing or wrong field', async () => {
    const definition = api.definition('Not A Slug');
    const source = { ...definition.source, idField: undefined };

    const response = await api.http.post('/processflows').send({ ...definition, source });

    expect(response.status).toBe(400);
    expect(problemPaths(response.body)).toEqual(
      expect.arrayContaining(['body.name', 'body.source.idField']),
    );
    expect(response.body.errors).toContainEqual({
      path: 'body.source.idField',
      message: 'required',
    });
  });

  it('answers 400 naming the connector when it is unknown, and lists the known ones', async () => {
    const definition = api.definition('unknown-connector');
    const source = { ...definition.source, connector: 'salesforce' };

    const response = await api.http.post('/processflows').send({ ...definition, source });

    expect(response.status).toBe(400);
    const issue = response.body.errors.find(
      (error: { path: string }) => error.path === 'body.source.connector',
    );
    expect(issue.message).toMatch(/unknown source connector; known: file/);
  });

  it("answers 400 naming a connector's config field", async () => {
    const definition = api.definition('bad-config');
    const destination = { ...definition.destination, config: { table: 'orders' } };

    const response = await api.http.post('/processflows').send({ ...definition, destination });

    expect(response.status).toBe(400);
    expect(problemPaths(response.body)).toContain('body.destination.config.connectionSecret');
  });

  it('answers 400 naming the step whose JSONata expression does not compile', async () => {
    const steps = [
      { name: 'Fine', type: 'map', expression: '$' },
      { name: 'Broken', type: 'map', expression: '{ "id": id ' },
    ];

    const response = await api.http
      .post('/processflows')
      .send({ ...api.definition('bad-jsonata'), steps });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { path: 'body.steps.1.expression', message: expect.stringMatching(/step "Broken"/) },
    ]);
  });

  it('answers 400 when two nodes share a name', async () => {
    const steps = [{ name: 'Orders file', type: 'map', expression: '$' }];

    const response = await api.http
      .post('/processflows')
      .send({ ...api.definition('twice-named'), steps });

    expect(response.status).toBe(400);
    expect(problemPaths(response.body)).toEqual(['body.steps.0.name']);
  });

  it('answers 415 for a body that is neither JSON nor YAML', async () => {
    const response = await api.http.post('/processflows').type('text/plain').send('name: x');

    expect(response.status).toBe(415);
    expect(response.body.detail).toMatch(/application\/json or application\/yaml/);
  });
});

describe('PUT /processflows/:name', () => {
  it('saves the definition under the name in the path', async () => {
    const response = await api.http.put('/processflows/put-flow').send(api.definition('put-flow'));

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: 'put-flow', version: 1 });
  });

  it('answers 200 with the same version when nothing changed', async () => {
    await api.http.put('/processflows/put-same').send(api.definition('put-same')).expect(201);

    const response = await api.http.put('/processflows/put-same').send(api.definition('put-same'));

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ version: 1, created: false });
  });

  it('answers 400 naming body.name when it differs from the path', async () => {
    const response = await api.http.put('/processflows/one-name').send(api.definition('other'));

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { path: 'body.name', message: 'must be "one-name", as in the path' },
    ]);
  });

  it('accepts YAML', async () => {
    const response = await api.http
      .put('/processflows/put-yaml')
      .type('application/yaml')
      .send(stringify(api.definition('put-yaml')));

    expect(response.status).toBe(201);
  });
});

describe('GET /processflows', () => {
  it('lists processflows by name with their latest version and description', async () => {
    await api.http.put('/processflows/listed').send(api.definition('listed')).expect(201);
    const changed = api.definition('listed', { description: 'second' });
    await api.http.put('/processflows/listed').send(changed).expect(201);

    const response = await api.http.get('/processflows');

    expect(response.status).toBe(200);
    const names = response.body.processflows.map((p: { name: string }) => p.name);
    expect(names).toEqual([...names].sort());
    expect(response.body.processflows).toContainEqual(
      expect.objectContaining({ name: 'listed', latestVersion: 2, description: 'second' }),
    );
  });
});

describe('GET /processflows/:name', () => {
  it('lists the versions, newest first', async () => {
    await api.http.put('/processflows/versioned').send(api.definition('versioned')).expect(201);
    const changed = api.definition('versioned', { description: 'v2' });
    await api.http.put('/processflows/versioned').send(changed).expect(201);

    const response = await api.http.get('/processflows/versioned');

    expect(response.status).toBe(200);
    expect(response.body.name).toBe('versioned');
    expect(response.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(response.body.versions[0]).toMatchObject({ description: 'v2' });
  });

  it('answers 404 problem+json for an unknown processflow', async () => {
    const response = await api.http.get('/processflows/nobody');

    expect(response.status).toBe(404);
    expect(response.type).toBe('application/problem+json');
    expect(response.body.detail).toBe('processflow "nobody" does not exist');
  });

  it('answers 400 naming params.name for a name that cannot exist', async () => {
    const response = await api.http.get('/processflows/Upper%20Case');

    expect(response.status).toBe(400);
    expect(problemPaths(response.body)).toEqual(['params.name']);
  });
});

describe('GET /processflows/:name/versions/:version', () => {
  it('answers the stored definition with defaults filled in', async () => {
    await api.http.put('/processflows/read-me').send(api.definition('read-me')).expect(201);

    const response = await api.http.get('/processflows/read-me/versions/1');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'read-me', version: 1 });
    expect(response.body.definition.source).toEqual(api.definition('read-me').source);
    expect(response.body.definition.destination.config).toMatchObject({ table: 'orders' });
  });

  it('answers 404 for a version that does not exist', async () => {
    await api.http.put('/processflows/one-version').send(api.definition('one-version'));

    const response = await api.http.get('/processflows/one-version/versions/7');

    expect(response.status).toBe(404);
    expect(response.body.detail).toBe('processflow "one-version" has no version 7');
  });

  it('answers 400 naming params.version when it is not a positive integer', async () => {
    const response = await api.http.get('/processflows/read-me/versions/first');

    expect(response.status).toBe(400);
    expect(problemPaths(response.body)).toEqual(['params.version']);
  });
});
