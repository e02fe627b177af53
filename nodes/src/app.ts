// The node's HTTP application: every route behind the permission its contract declares, route
// groups registered from their capability folders.
import { NODE_DOCUMENT_INFO, nodeHealthRoute, nodeRoutes } from '@khoj/contracts';
import { createServiceApp } from '@khoj/platform';
import { registerAccessRoutes } from './access/access.routes.ts';
import { authorize } from './access/authorize.ts';
import { registerReportRoutes } from './cases/reports.routes.ts';
import { registerUnitRoutes } from './directory/units.routes.ts';
import type { NodeEnv } from './env.ts';
import { registerExchangeRoutes } from './exchange/exchange.routes.ts';
import type { NodeServices } from './services.ts';

/** Reports carry text only for now (photos come with case management). */
const MAX_BODY_BYTES = 256 * 1024;

export function createNodeApp(services: NodeServices) {
  const app = createServiceApp<NodeEnv>({
    service: `node ${services.identity.nodeId}`,
    maxBodyBytes: MAX_BODY_BYTES,
  });
  // Deny by default: every request passes the permission its route contract declares.
  app.use('*', authorize(services, nodeRoutes));
  app.openapi(nodeHealthRoute, (c) =>
    c.json({ status: 'ok' as const, service: `node ${services.identity.nodeId}` }, 200),
  );
  registerAccessRoutes(app, services);
  registerReportRoutes(app, services);
  registerUnitRoutes(app, services);
  registerExchangeRoutes(app, services);
  return app;
}

export function nodeOpenApiFromApp(app: ReturnType<typeof createNodeApp>) {
  return app.getOpenAPI31Document({ openapi: '3.1.0', info: NODE_DOCUMENT_INFO });
}
