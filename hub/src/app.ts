// The hub's HTTP application: every /v1 route requires a registered member's certificate
// (deny by default); route groups are registered from their capability folders.
import { HUB_DOCUMENT_INFO, hubHealthRoute, registerHubSecurity } from '@khoj/contracts';
import { createServiceApp } from '@khoj/platform';
import type { HubEnv } from './env.ts';
import { registerEnvelopeRoutes } from './exchange/envelopes.routes.ts';
import { registerInboxRoutes } from './exchange/inbox.routes.ts';
import type { HubServices } from './services.ts';
import { requireMember } from './trust/client-certificate.ts';
import { registerMemberRoutes } from './trust/members.routes.ts';

/** Envelopes carry ciphertext for up to 64 recipients; anything larger is refused. */
const MAX_BODY_BYTES = 1024 * 1024;

export function createHubApp(services: HubServices) {
  const app = createServiceApp<HubEnv>({ service: 'hub', maxBodyBytes: MAX_BODY_BYTES });
  registerHubSecurity(app.openAPIRegistry);
  app.use('/v1/*', requireMember(services));
  app.openapi(hubHealthRoute, (c) => c.json({ status: 'ok' as const, service: 'hub' }, 200));
  registerMemberRoutes(app, services);
  registerEnvelopeRoutes(app, services);
  registerInboxRoutes(app, services);
  return app;
}

export function hubOpenApiFromApp(app: ReturnType<typeof createHubApp>) {
  return app.getOpenAPI31Document({ openapi: '3.1.0', info: HUB_DOCUMENT_INFO });
}
