import { ApiHarness } from './api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});

afterAll(() => api?.stop());

const definition = (steps: object[]) => ({ ...api.definition('preview'), steps });

describe('POST /processflows/preview', () => {
  it("answers each node's output and saves nothing", async () => {
    const response = await api.http.post('/processflows/preview').send({
      definition: definition([
        { name: 'Open only', type: 'filter', expression: 'status = "open"' },
        { name: 'Shape', type: 'map', expression: '{ "id": id, "total": price * quantity }' },
      ]),
      record: { id: 'a/b #1', status: 'open', price: 2.5, quantity: 4 },
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      sourceId: 'a/b #1',
      outcome: 'written',
      nodes: [
        { node: 'Orders file', kind: 'source', output: { id: 'a/b #1', status: 'open' } },
        { node: 'Open only', kind: 'filter', output: true, skipped: false },
        { node: 'Shape', kind: 'map', output: { id: 'a/b #1', total: 10 } },
        { node: 'Orders table', kind: 'destination', output: { id: 'a/b #1', total: 10 } },
      ],
    });
    expect((await api.http.get('/processflows')).body).toEqual({ processflows: [] });
  });

  it('stops at a filter that skips the record', async () => {
    const response = await api.http.post('/processflows/preview').send({
      definition: definition([
        { name: 'Open only', type: 'filter', expression: 'status = "open"' },
      ]),
      record: { id: '1', status: 'closed' },
    });

    expect(response.body).toMatchObject({ outcome: 'skipped' });
    expect(response.body.nodes.map((n: { node: string }) => n.node)).toEqual([
      'Orders file',
      'Open only',
    ]);
  });

  it('names the step, the record and the expression when a step fails on the record', async () => {
    const response = await api.http.post('/processflows/preview').send({
      definition: definition([{ name: 'Total', type: 'map', expression: 'price * quantity' }]),
      record: { id: '7', price: 'ten', quantity: 1 },
    });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ outcome: 'failed', errorNode: 'Total' });
    expect(response.body.error).toMatch(
      /^step "Total" failed on record "7": .* \(expression: price \* quantity\)$/,
    );
  });

  it('answers a problem naming the step whose expression does not compile', async () => {
    const response = await api.http.post('/processflows/preview').send({
      definition: definition([{ name: 'Broken', type: 'map', expression: '{ "a": ' }]),
      record: { id: '1' },
    });

    expect(response.status).toBe(400);
    expect(response.type).toBe('application/problem+json');
    expect(response.body.errors).toEqual([
      {
        path: 'body.definition.steps.0.expression',
        message: expect.stringMatching(/^step "Broken": /),
      },
    ]);
  });

  it('answers a problem for a body without a record', async () => {
    const response = await api.http
      .post('/processflows/preview')
      .send({ definition: definition([]) });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path: 'body.record', message: 'required' }]);
  });
});
