// GET /v1/dead-letters (the caller's own), and for administrators the dead letters, conflicts
// and refusals of the whole federation: what did not get through, with no personal data.
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  adminDeadLettersRoute,
  adminEnvelopeConflictsRoute,
  adminEnvelopeRefusalsRoute,
  deadLettersRoute,
} from '@khoj/contracts';
import type { HubEnv } from '../env.ts';
import type { HubServices } from '../services.ts';
import { listDeadLetters } from './dead-letters.ts';
import { listConflicts, listRefusals } from './reports.store.ts';

export function registerDeliveryRoutes(app: OpenAPIHono<HubEnv>, services: HubServices): void {
  app.openapi(deadLettersRoute, async (c) => {
    const page = c.req.valid('query');
    const origin = c.get('member').nodeId;
    return c.json({ deadLetters: await listDeadLetters(services.db, { ...page, origin }) }, 200);
  });

  app.openapi(adminDeadLettersRoute, async (c) =>
    c.json({ deadLetters: await listDeadLetters(services.db, c.req.valid('query')) }, 200),
  );

  app.openapi(adminEnvelopeConflictsRoute, async (c) =>
    c.json({ conflicts: await listConflicts(services.db, c.req.valid('query')) }, 200),
  );

  app.openapi(adminEnvelopeRefusalsRoute, async (c) =>
    c.json({ refusals: await listRefusals(services.db, c.req.valid('query')) }, 200),
  );
}
