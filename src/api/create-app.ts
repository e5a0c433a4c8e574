import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type Express } from 'express';
import type { Logger } from '../logger';
import { type LedgerFigureSource, useLedgerFigures } from '../metrics/ledger-metrics';
import type { Services } from '../services/create-services';
import { problemDetails, unknownRoute } from './problem-details';
import { jsonBody } from './request-body';
import { requestContext } from './request-context';
import { createDeploymentRouter } from './routes/deployment-routes';
import { createEnvironmentRouter } from './routes/environment-routes';
import { createExecutionRouter } from './routes/execution-routes';
import { createMetricsRouter } from './routes/metrics-routes';
import { createPreviewRouter } from './routes/preview-routes';
import { createProcessflowRouter } from './routes/processflow-routes';
import { createResyncRouter } from './routes/resync-routes';
import { createSyncInfoRouter } from './routes/sync-info-routes';
import { createSystemRouter } from './routes/system-routes';

/** The HTTP API over ready-made services: routes parse and shape, services decide. */
export function createApp(input: {
  services: Services;
  log: Logger;
  /** The ledger's figures for `/metrics`; without it only process metrics are served. */
  ledgerFigures?: LedgerFigureSource;
}): Express {
  const { services, log } = input;
  if (input.ledgerFigures) useLedgerFigures(input.ledgerFigures);
  const registry = new OpenAPIRegistry();
  const app = express();
  app.disable('x-powered-by');
  // Plain key=value parameters only: no nested objects from brackets.
  app.set('query parser', 'simple');

  app.use(requestContext(log));
  app.use(jsonBody);
  app.use(createPreviewRouter(services, registry));
  app.use(createProcessflowRouter(services, registry));
  app.use(createEnvironmentRouter(services, registry));
  app.use(createDeploymentRouter(services, registry));
  app.use(createSyncInfoRouter(services, registry));
  app.use(createExecutionRouter(services, registry));
  app.use(createResyncRouter(services, registry));
  app.use(createSystemRouter(registry));
  app.use(createMetricsRouter(registry));
  app.use(unknownRoute);
  app.use(problemDetails(log));
  return app;
}
