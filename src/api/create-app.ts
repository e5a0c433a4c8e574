import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import express, { type Express } from 'express';
import type { Logger } from '../logger';
import { type LedgerFigureSource, useLedgerFigures } from '../metrics/ledger-metrics';
import type { Services } from '../services/create-services';
import { authenticate, requireTokenForEveryEnvironment } from './access-control';
import { problemDetails, unknownRoute } from './problem-details';
import { requestContext } from './request-context';
import { createAccessRouter } from './routes/access-routes';
import { createDeploymentRouter } from './routes/deployment-routes';
import { createEnvironmentRouter } from './routes/environment-routes';
import { createExecutionRouter } from './routes/execution-routes';
import { createMetricsRouter } from './routes/metrics-routes';
import { createPreviewRouter } from './routes/preview-routes';
import { createProcessflowRouter } from './routes/processflow-routes';
import { createReportRouter } from './routes/report-routes';
import { createResyncRouter } from './routes/resync-routes';
import { createScheduleRouter } from './routes/schedule-routes';
import { createSyncInfoRouter } from './routes/sync-info-routes';
import { createSystemRouter } from './routes/system-routes';

/**
 * The HTTP API over ready-made services: routes parse and shape, services decide. Every route
 * but /healthz and /readyz needs an API token (see access-control.ts). `draining` turns
 * readiness off while the process shuts down.
 */
export function createApp(input: {
  services: Services;
  log: Logger;
  draining?: () => boolean;
  /** The ledger's figures for `/metrics`; without it only process metrics are served. */
  ledgerFigures?: LedgerFigureSource;
}): Express {
  const { services, log } = input;
  if (input.ledgerFigures) useLedgerFigures(input.ledgerFigures);
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'an API token: npm run tokens -- create --name NAME --role viewer|operator|admin',
  });
  const app = express();
  app.disable('x-powered-by');
  // Plain key=value parameters only: no nested objects from brackets.
  app.set('query parser', 'simple');

  app.use(requestContext(log));
  app.use(authenticate(services.tokens));
  app.use(createPreviewRouter(services, registry));
  app.use(createProcessflowRouter(services, registry));
  app.use(createEnvironmentRouter(services, registry));
  app.use(createDeploymentRouter(services, registry));
  app.use(createSyncInfoRouter(services, registry));
  app.use(createExecutionRouter(services, registry));
  app.use(createResyncRouter(services, registry));
  app.use(createScheduleRouter(services, registry));
  app.use(createReportRouter(services, registry));
  app.use(createAccessRouter(services, registry));
  app.use(createSystemRouter(services, registry, input.draining));
  // Mounted outside RouteTable, so its token check is added here.
  app.use('/metrics', requireTokenForEveryEnvironment('viewer'));
  app.use(createMetricsRouter(registry));
  app.use(unknownRoute(registry));
  app.use(problemDetails(log));
  return app;
}
