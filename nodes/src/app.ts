// The node's HTTP application: every route behind the permission its contract declares, route
// groups registered from their capability folders.
import { NODE_DOCUMENT_INFO, nodeHealthRoute, nodeRoutes } from '@khoj/contracts';
import { createServiceApp } from '@khoj/platform';
import { registerAccessRoutes } from './access/access.routes.ts';
import { authorize } from './access/authorize.ts';
import { registerReportRoutes } from './cases/reports.routes.ts';
import { registerCrossBorderRoutes } from './cross-border/cross-border.routes.ts';
import { registerUnitRoutes } from './directory/units.routes.ts';
import type { NodeEnv } from './env.ts';
import { registerExchangeRoutes } from './exchange/exchange.routes.ts';
import { registerIntakeRoutes } from './intake/intake.routes.ts';
import { registerMatchingRoutes } from './matching/matching.routes.ts';
import { registerPhotoRoutes } from './photos/photos.routes.ts';
import { registerDetailRequestRoutes } from './queries/detail-requests.routes.ts';
import { registerQueryRoutes } from './queries/queries.routes.ts';
import type { NodeServices } from './services.ts';
import { registerSharingRoutes } from './sharing/sharing.routes.ts';
import { registerStatisticsRoutes } from './statistics/statistics.routes.ts';

/**
 * The largest body: a citizen's sighting with a photo of up to 2 MiB as base64 in JSON (about
 * 2.7 MiB); case photos are raw bytes of up to 2 MiB (their route checks that). JSON routes would
 * be better held to 256 KiB; that needs per-route limits in platform's createServiceApp.
 */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

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
  registerPhotoRoutes(app, services);
  registerStatisticsRoutes(app, services);
  registerIntakeRoutes(app, services);
  registerMatchingRoutes(app, services);
  registerSharingRoutes(app, services);
  registerCrossBorderRoutes(app, services);
  registerQueryRoutes(app, services);
  registerDetailRequestRoutes(app, services);
  return app;
}

export function nodeOpenApiFromApp(app: ReturnType<typeof createNodeApp>) {
  return app.getOpenAPI31Document({ openapi: '3.1.0', info: NODE_DOCUMENT_INFO });
}
