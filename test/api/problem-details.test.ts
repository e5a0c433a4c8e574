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
    const [decimal, exponent, empty, tooLarge] = await Promise.all([
      api.http.get('/executions/1.0'),
      api.http.get('/executions/1e3'),
      api.http.get('/deployments/x@y/sync-info?limit='),
      api.http.get('/deployments/x@y/sync-info?limit=5000'),
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
  });

  it('answers an audit action it does not know with 400 naming the field', async () => {
    const response = await api.http.get('/audit-events?action=deployment.bogus');

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { path: 'query.action', message: expect.stringContaining('"deployment.deploy"') },
    ]);
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
