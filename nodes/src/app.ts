// The node's HTTP application. Until sign-in exists it is served on loopback only (config.ts
// refuses any other address).
import { NODE_DOCUMENT_INFO, nodeHealthRoute } from '@khoj/contracts';
import { createServiceApp } from '@khoj/platform';
import { registerReportRoutes } from './cases/reports.routes.ts';
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
  app.openapi(nodeHealthRoute, (c) =>
    c.json({ status: 'ok' as const, service: `node ${services.identity.nodeId}` }, 200),
  );
  registerReportRoutes(app, services);
  registerExchangeRoutes(app, services);
  return app;
}

export function nodeOpenApiFromApp(app: ReturnType<typeof createNodeApp>) {
  return app.getOpenAPI31Document({ openapi: '3.1.0', info: NODE_DOCUMENT_INFO });
}
