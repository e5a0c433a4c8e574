import { ApiHarness } from './api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
  await api.http.put('/environments/production').send({}).expect(201);
  for (const name of ['orders', 'invoices', 'customers']) {
    await api.http.post('/processflows').send(api.definition(name)).expect(201);
  }
  const invoicesV2 = api.definition('invoices', { description: 'second version' });
  await api.http.post('/processflows').send(invoicesV2).expect(201);
});

afterAll(() => api?.stop());

const paths = (body: { errors?: { path: string }[] }) => (body.errors ?? []).map((e) => e.path);

describe('PUT /environments/:env/deployments/:processflow', () => {
  it('deploys the latest version in manual mode the first time and answers 201', async () => {
    const response = await api.http.put('/environments/production/deployments/invoices');

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: 'invoices@production',
      processflowName: 'invoices',
      environmentName: 'production',
      version: 2,
      status: 'deployed',
      settings: { mode: 'manual', frequency: 'hourly', interval: 1, timezone: 'UTC' },
      undeployedAt: null,
    });
    expect(response.headers.location).toBe('/deployments/invoices%40production');
  });

  it('redeploys another version with new settings and answers 200', async () => {
    await api.http.put('/environments/production/deployments/orders').send({}).expect(201);
    const settings = {
      mode: 'auto',
      frequency: 'daily',
      retryDailyAt: '02:30',
      interval: 6,
      timeLapse: 30,
      batchSize: 50,
      timezone: 'Europe/Berlin',
    };

    const response = await api.http
      .put('/environments/production/deployments/orders')
      .send({ version: 1, settings });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ version: 1, settings });
  });

  it('hands the new settings to automatic retries', async () => {
    const response = await api.http
      .put('/environments/production/deployments/orders')
      .send({ settings: { mode: 'auto', interval: 5 } });

    expect(response.status).toBe(200);
    expect(api.retryControl.applied.at(-1)).toMatchObject({
      id: 'orders@production',
      settings: { mode: 'auto', interval: 5 },
    });
  });

  it('keeps the settings when a redeploy gives none', async () => {
    const settings = { mode: 'auto', interval: 3 };
    await api.http
      .put('/environments/production/deployments/customers')
      .send({ settings })
      .expect(201);

    const response = await api.http
      .put('/environments/production/deployments/customers')
      .send({ version: 1 });

    expect(response.status).toBe(200);
    expect(response.body.settings).toMatchObject({ mode: 'auto', interval: 3 });
  });

  it('changes only the settings a redeploy names, and spells time zones the IANA way', async () => {
    await api.http
      .put('/environments/production/deployments/customers')
      .send({ settings: { mode: 'auto', interval: 3, batchSize: 50 } });

    const response = await api.http
      .put('/environments/production/deployments/customers')
      .send({ settings: { timezone: 'europe/berlin' } });

    expect(response.status).toBe(200);
    expect(response.body.settings).toMatchObject({
      mode: 'auto',
      interval: 3,
      batchSize: 50,
      timezone: 'Europe/Berlin',
    });
  });

  it('drops the daily time when a redeploy switches to hourly', async () => {
    await api.http
      .put('/environments/production/deployments/customers')
      .send({ settings: { frequency: 'daily', retryDailyAt: '04:00' } })
      .expect(200);

    const response = await api.http
      .put('/environments/production/deployments/customers')
      .send({ settings: { frequency: 'hourly' } });

    expect(response.status).toBe(200);
    expect(response.body.settings).not.toHaveProperty('retryDailyAt');
  });

  it('answers 400 naming body.settings.interval when it is not 1–23 hours', async () => {
    const response = await api.http
      .put('/environments/production/deployments/orders')
      .send({ settings: { mode: 'auto', interval: 24 } });

    expect(response.status).toBe(400);
    expect(paths(response.body)).toEqual(['body.settings.interval']);
  });

  it('answers 400 naming body.settings.retryDailyAt when daily has no time', async () => {
    await api.http
      .put('/environments/production/deployments/orders')
      .send({ settings: { frequency: 'hourly' } })
      .expect(200);

    const response = await api.http
      .put('/environments/production/deployments/orders')
      .send({ settings: { mode: 'auto', frequency: 'daily' } });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { path: 'body.settings.retryDailyAt', message: 'required when frequency is daily' },
    ]);
  });

  it('answers 400 for unknown settings, time zones and fields', async () => {
    const response = await api.http
      .put('/environments/production/deployments/orders')
      .send({ settings: { mode: 'sometimes', timezone: 'Mars/Olympus', retries: 9 }, force: true });

    expect(response.status).toBe(400);
    expect(paths(response.body)).toEqual(
      expect.arrayContaining([
        'body.settings.mode',
        'body.settings.timezone',
        'body.settings.retries',
        'body.force',
      ]),
    );
  });

  it('answers 404 for an unknown environment, processflow or version', async () => {
    const environment = await api.http.put('/environments/nowhere/deployments/orders');
    const processflow = await api.http.put('/environments/production/deployments/nothing');
    const version = await api.http
      .put('/environments/production/deployments/orders')
      .send({ version: 9 });

    expect(environment.status).toBe(404);
    expect(environment.body.detail).toBe('environment "nowhere" does not exist');
    expect(processflow.status).toBe(404);
    expect(version.body.detail).toBe('processflow "orders" version 9 does not exist');
  });
});

describe('DELETE /environments/:env/deployments/:processflow', () => {
  it('undeploys and keeps the ledger readable', async () => {
    await api.http.put('/environments/production/deployments/orders').send({}).expect(200);
    await api.seedRun('orders@production', [{ sourceId: 'o-1', status: 'Failed' }]);

    const response = await api.http.delete('/environments/production/deployments/orders');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'undeployed', undeployedAt: expect.any(String) });
    expect(api.retryControl.applied.at(-1)).toMatchObject({ status: 'undeployed' });
    const syncInfo = await api.http.get('/deployments/orders@production/sync-info');
    expect(syncInfo.body.records.map((r: { sourceId: string }) => r.sourceId)).toEqual(['o-1']);
  });

  it('redeploying an undeployed processflow answers 200 and clears undeployedAt', async () => {
    await api.http.delete('/environments/production/deployments/orders').expect(200);

    const response = await api.http.put('/environments/production/deployments/orders');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'deployed', undeployedAt: null });
  });

  it('answers 404 when the processflow was never deployed there', async () => {
    const response = await api.http.delete('/environments/production/deployments/nothing');

    expect(response.status).toBe(404);
    expect(response.type).toBe('application/problem+json');
  });
});

describe('GET /environments/:env/deployments', () => {
  it('lists deployed processflows with snapshot count, tries and counts per status', async () => {
    await api.http.put('/environments/counting').send({}).expect(201);
    await api.http.put('/environments/counting/deployments/orders').expect(201);
    await api.seedRun('orders@counting', [
      { sourceId: 'a', status: 'Success' },
      { sourceId: 'b', status: 'Failed' },
      { sourceId: 'c', status: 'Failed' },
      { sourceId: 'd', status: 'Unprocessed' },
    ]);

    const response = await api.http.get('/environments/counting/deployments');

    expect(response.status).toBe(200);
    expect(response.body.environment).toEqual({ name: 'counting', active: false, agents: [] });
    expect(response.body.deployments).toEqual([
      {
        deploymentId: 'orders@counting',
        processflowName: 'orders',
        description: 'orders flow',
        version: 1,
        status: 'deployed',
        deployedAt: expect.any(String),
        snapshotCount: 3,
        tries: 3,
        counts: { Success: 1, Failed: 2, Unprocessed: 1 },
        schedule: null,
      },
    ]);
  });

  it('answers 404 for an unknown environment', async () => {
    const response = await api.http.get('/environments/nowhere/deployments');

    expect(response.status).toBe(404);
  });
});

describe('GET /deployments/:id', () => {
  it('answers the deployment by its id, URL-encoded or not', async () => {
    const plain = await api.http.get('/deployments/invoices@production');
    const encoded = await api.http.get('/deployments/invoices%40production');

    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ id: 'invoices@production', version: 2 });
    expect(encoded.body).toEqual(plain.body);
  });

  it('answers 404 for an unknown deployment', async () => {
    const response = await api.http.get('/deployments/orders@nowhere');

    expect(response.status).toBe(404);
    expect(response.body.detail).toBe('deployment "orders@nowhere" does not exist');
  });
});
