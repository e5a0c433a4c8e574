import { ApiHarness } from './api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});

afterAll(() => api?.stop());

const problemKeys = ['detail', 'errorId', 'status', 'title', 'type'];

describe('error answers', () => {
  it('answers malformed JSON with 400 problem+json', async () => {
    const response = await api.http
      .post('/processflows')
      .set('content-type', 'application/json')
      .send('{"name": "orders",');

    expect(response.status).toBe(400);
    expect(response.type).toBe('application/problem+json');
    expect(response.body).toMatchObject({
      type: 'urn:processflow:problem:malformed-body',
      title: 'Malformed body',
      status: 400,
      detail: expect.stringMatching(/^the body is not valid JSON/),
    });
  });

  it('answers NUL characters anywhere in the input with 400 naming the field', async () => {
    const inPath = await api.http.get('/deployments/a%00b');
    const inQuery = await api.http.get('/deployments/x@y/sync-info?after=a%00b');
    const inBody = await api.http
      .post('/deployments/x@y/resyncs/preview')
      .send({ sourceIds: ['ok', 'a\u0000b'] });

    expect([inPath.status, inQuery.status, inBody.status]).toEqual([400, 400, 400]);
    expect(inPath.body.errors[0].path).toBe('params.id');
    expect(inQuery.body.errors[0].path).toBe('query.after');
    expect(inBody.body.errors[0]).toEqual({
      path: 'body.sourceIds.1',
      message: expect.stringMatching(/NUL character/),
    });
  });

  it('answers a query parameter given twice with 400 naming it', async () => {
    const response = await api.http.get('/deployments/x@y/sync-info?limit=2&limit=3&status=Failed');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { path: 'query.limit', message: 'given more than once; give it once' },
    ]);
  });

  it('answers a number written any way but in digits with 400 naming the field', async () => {
    const [decimal, exponent, empty, tooLarge, hex] = await Promise.all([
      api.http.get('/executions/1.0'),
      api.http.get('/executions/1e3'),
      api.http.get('/deployments/x@y/sync-info?limit='),
      api.http.get('/deployments/x@y/sync-info?limit=5000'),
      api.http.get('/processflows/orders/versions/0x1'),
    ]);

    expect([decimal.status, exponent.status, empty.status, tooLarge.status]).toEqual([
      400, 400, 400, 400,
    ]);
    expect(decimal.body.errors).toEqual([
      { path: 'params.id', message: 'must be a positive whole number written in digits, e.g. 42' },
    ]);
    expect(exponent.body.errors[0].path).toBe('params.id');
    expect(empty.body.errors).toEqual([
      {
        path: 'query.limit',
        message: expect.stringMatching(/^must be a whole number from 1 to 1000/),
      },
    ]);
    expect(tooLarge.body.errors).toEqual([
      { path: 'query.limit', message: 'must be at most 1000' },
    ]);
    expect(hex.body.errors).toEqual([
      { path: 'params.version', message: 'must be a version number written in digits, e.g. 42' },
    ]);
  });

  it('answers an audit action it does not know with 400 naming the field', async () => {
    const response = await api.http.get('/audit-events?action=deployment.bogus');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { path: 'query.action', message: expect.stringContaining('"deployment.deploy"') },
    ]);
  });

  it('answers a body nested too deep, or a YAML alias inside itself, with 400 naming body', async () => {
    const depth = 10_000;
    const deep = await api.http
      .post('/deployments/x@y/resyncs/preview')
      .set('content-type', 'application/json')
      .send('['.repeat(depth) + ']'.repeat(depth));
    const deepObject = await api.http
      .post('/tokens')
      .set('content-type', 'application/json')
      .send('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
    const cyclic = await api.http
      .post('/processflows')
      .set('content-type', 'application/yaml')
      .send('name: &a [*a]\n');

    for (const response of [deep, deepObject, cyclic]) {
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:processflow:problem:invalid-input');
      expect(response.body.errors).toEqual([
        { path: expect.stringMatching(/^body(\.|$)/), message: 'nested deeper than 64 levels' },
      ]);
    }
    expect(cyclic.body.errors[0].path).toMatch(/^body\.name\.0\.0\./);
  });

  it('answers a JSON body that is not an object with 400 naming body', async () => {
    const answers = await Promise.all(
      ['null', '"x"', '7'].map((text) =>
        api.http
          .post('/deployments/x@y/resyncs/preview')
          .set('content-type', 'application/json')
          .send(text),
      ),
    );

    for (const response of answers) {
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('urn:processflow:problem:invalid-input');
      expect(response.body.errors).toEqual([
        { path: 'body', message: expect.stringMatching(/expected object/) },
      ]);
    }
  });

  it('answers a path segment that is not valid percent-encoding with 400 naming params', async () => {
    const response = await api.http.get('/deployments/%FF@demo/sync-info');

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      type: 'urn:processflow:problem:invalid-input',
      errors: [
        {
          path: 'params',
          message: expect.stringMatching(/^"%FF@demo" is not valid percent-encoding/),
        },
      ],
    });
  });

  it('takes back as a cursor every source id it hands out, and no longer one', async () => {
    const longest = await api.http.get(`/deployments/x@y/sync-info?after=${'L'.repeat(4096)}`);
    const tooLong = await api.http.get(`/deployments/x@y/sync-info?after=${'L'.repeat(4097)}`);
    const snapshots = await api.http.get(`/deployments/x@y/records/${'L'.repeat(4097)}/snapshots`);

    expect(longest.status).not.toBe(400);
    expect(tooLong.body.errors).toEqual([
      { path: 'query.after', message: expect.stringMatching(/4096/) },
    ]);
    expect(snapshots.body.errors).toEqual([
      { path: 'params.sourceId', message: expect.stringMatching(/4096/) },
    ]);
  });

  it('keeps credentials a client put in the query string out of the log', async () => {
    await api.http.get('/deployments/x@y/sync-info?access_token=pft_leaked-marker&limit=5');

    const logged = JSON.stringify(api.log);
    expect(logged).toContain('access_token=[redacted]&limit=5');
    expect(logged).not.toContain('leaked-marker');
  });

  it('answers a body over 1 MB with 413', async () => {
    const description = 'x'.repeat(1_100_000);

    const response = await api.http.put('/environments/big').send({ description });

    expect(response.status).toBe(413);
    expect(response.type).toBe('application/problem+json');
    expect(response.body.detail).toBe('the body is larger than the limit of 1mb');
  });

  it('answers 415 when a JSON-only route receives YAML', async () => {
    const response = await api.http
      .put('/environments/yaml')
      .type('application/yaml')
      .send('description: nope');

    expect(response.status).toBe(415);
    expect(response.body.detail).toMatch(/send application\/json$/);
  });

  it('answers an unknown route with 404 problem+json naming it', async () => {
    const response = await api.http.get('/deployment/orders@production');

    expect(response.status).toBe(404);
    expect(response.type).toBe('application/problem+json');
    expect(response.body).toMatchObject({
      type: 'urn:processflow:problem:not-found',
      detail:
        'no route matches GET /deployment/orders@production; the routes are listed at /openapi.json',
    });
  });

  it('answers a known path with an unknown method with 405 and the methods it takes', async () => {
    const response = await api.http.delete('/processflows');
    const withParameter = await api.http.put('/resyncs/7');

    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, POST');
    expect(response.body).toMatchObject({
      type: 'urn:processflow:problem:method-not-allowed',
      detail: 'DELETE is not allowed on /processflows; it takes GET, POST',
    });
    expect(withParameter.status).toBe(405);
    expect(withParameter.headers.allow).toBe('GET');
  });

  it('gives every error answer the same fields, and its error id as X-Request-Id', async () => {
    const answers = await Promise.all([
      api.http.get('/nowhere'),
      api.http.get('/executions/abc'),
      api.http.post('/processflows').set('content-type', 'application/json').send('['),
    ]);

    for (const response of answers) {
      expect(
        Object.keys(response.body)
          .filter((key) => key !== 'errors')
          .sort(),
      ).toEqual(problemKeys);
      expect(response.body.errorId).toBe(response.headers['x-request-id']);
      expect(response.body.status).toBe(response.status);
    }
  });

  it('logs no client error at error level', async () => {
    const before = api.errorLog.length;

    await api.http.get('/nowhere').expect(404);
    await api.http.get('/executions/0').expect(400);

    expect(api.errorLog).toHaveLength(before);
  });
});
