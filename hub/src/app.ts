// The hub's HTTP application. Deny by default: every route's contract names what the caller
// needs (`x-khoj-hub-access`: public, member, or an administrator permission) and the one
// authentication middleware enforces it per request; route groups come from their folders.
import { HUB_DOCUMENT_INFO, hubHealthRoute, hubRoutes, registerHubSecurity } from '@khoj/contracts';
import { createServiceApp } from '@khoj/platform';
import { registerAdminRoutes } from './admin/admin.routes.ts';
import { expiringCertificates } from './admin/nodes.ts';
import type { HubEnv } from './env.ts';
import { registerDeliveryRoutes } from './exchange/delivery.routes.ts';
import { registerEnvelopeRoutes } from './exchange/envelopes.routes.ts';
import { registerInboxRoutes } from './exchange/inbox.routes.ts';
import type { HubServices } from './services.ts';
import { registerTransparencyRoutes } from './transparency/transparency.routes.ts';
import { authenticate } from './trust/client-certificate.ts';
import { registerMemberRoutes } from './trust/members.routes.ts';
import { registerTrustRoutes } from './trust/trust.routes.ts';

/** Envelopes carry ciphertext for up to 64 recipients; anything larger is refused. */
const MAX_BODY_BYTES = 1024 * 1024;

export function createHubApp(services: HubServices) {
  const app = createServiceApp<HubEnv>({ service: 'hub', maxBodyBytes: MAX_BODY_BYTES });
  registerHubSecurity(app.openAPIRegistry);
  app.use('*', authenticate(services, hubRoutes));
  app.openapi(hubHealthRoute, async (c) => {
    const withinDays = services.trust.expiryWarningDays;
    const expiring = await expiringCertificates(services, withinDays);
    return c.json(
      { status: 'ok' as const, service: 'hub', certificates: { expiringWithinDays: withinDays, expiring } },
      200,
    );
  });
  registerMemberRoutes(app, services);
  registerEnvelopeRoutes(app, services);
  registerInboxRoutes(app, services);
  registerDeliveryRoutes(app, services);
  registerTransparencyRoutes(app, services);
  registerTrustRoutes(app, services);
  registerAdminRoutes(app, services);
  return app;
}

export function hubOpenApiFromApp(app: ReturnType<typeof createHubApp>) {
  return app.getOpenAPI31Document({ openapi: '3.1.0', info: HUB_DOCUMENT_INFO });
}
