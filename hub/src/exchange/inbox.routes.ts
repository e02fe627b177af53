// GET /v1/inbox (long-poll) and POST /v1/inbox/ack: a node collects what was sent to it.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { ackInboxRoute, inboxRoute } from '@khoj/contracts';
import type { HubEnv } from '../env.ts';
import type { HubServices } from '../services.ts';
import { acknowledge, pendingDeliveries } from './envelopes.store.ts';

export function registerInboxRoutes(app: OpenAPIHono<HubEnv>, services: HubServices): void {
  app.openapi(inboxRoute, async (c) => {
    const { waitSeconds, limit } = c.req.valid('query');
    const recipient = c.get('member').nodeId;
    const deadline = Date.now() + Math.min(waitSeconds, services.config.maxWaitSeconds) * 1000;
    const aborted = c.req.raw.signal;
    for (;;) {
      const rows = await pendingDeliveries(services.db, recipient, limit, services.clock());
      if (rows.length > 0 || Date.now() >= deadline || aborted.aborted) {
        // The `Inbox` contract's JSON, with each envelope as the JSON text stored at ingest.
        const deliveries = rows.map(
          (row) =>
            `{"envelope":${row.envelope}${row.traceparent ? `,"traceparent":${JSON.stringify(row.traceparent)}` : ''}}`,
        );
        const body = `{"deliveries":[${deliveries.join(',')}]}`;
        // The route's types describe the answer as an object; this is that JSON already as
        // text, which they cannot express, hence the cast (the routes test reads it back).
        return c.body(body, 200, { 'content-type': 'application/json' }) as never;
      }
      await services.inboxSignal.wait(recipient, aborted);
    }
  });

  app.openapi(ackInboxRoute, async (c) => {
    const { envelopeIds } = c.req.valid('json');
    const acknowledged = await acknowledge(
      services.db,
      c.get('member').nodeId,
      envelopeIds,
      services.clock(),
    );
    return c.json({ acknowledged }, 200);
  });
}
