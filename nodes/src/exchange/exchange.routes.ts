// GET /v1/foreign-summaries and GET /v1/exchange/status: what arrived from other nodes, and how
// the outbox and inbox stand.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { exchangeStatusRoute, foreignSummariesRoute } from '@khoj/contracts';
import { desc, eq } from 'drizzle-orm';
import { foreignSummaries } from '../db/schema/index.ts';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { inboxCounts } from './inbox.ts';
import { outboxCounts } from './outbox.store.ts';

export function registerExchangeRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  app.openapi(foreignSummariesRoute, async (c) => {
    const { origin } = c.req.valid('query');
    const rows = await services.db
      .select()
      .from(foreignSummaries)
      .where(origin ? eq(foreignSummaries.origin, origin) : undefined)
      .orderBy(desc(foreignSummaries.receivedAt))
      .limit(500);
    const summaries = rows.map((row) => ({
      envelopeId: row.envelopeId,
      origin: row.origin,
      purposes: row.purposes,
      fields: row.fields,
      receivedAt: row.receivedAt.toISOString(),
      summary: row.summary,
    }));
    return c.json({ summaries }, 200);
  });

  app.openapi(exchangeStatusRoute, async (c) => {
    const [outbox, inbox] = await Promise.all([outboxCounts(services.db), inboxCounts(services)]);
    return c.json({ outbox, inbox }, 200);
  });
}
