// POST /v1/reports and GET /v1/reports/{caseId}. Creating a report whose consent allows sharing
// publishes it: the sealed envelope goes into the outbox in the same transaction as the case.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createReportRoute, getReportRoute } from '@khoj/contracts';
import { ApiError, currentTraceparent, newId } from '@khoj/platform';
import type { NodeEnv } from '../env.ts';
import { enqueueEnvelope } from '../exchange/outbox.store.ts';
import { sealCaseSummary } from '../exchange/seal.ts';
import type { NodeServices } from '../services.ts';
import { grantConsent, toReport, toSummary } from './report.ts';
import { findCase, insertCase } from './reports.store.ts';

export function registerReportRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  app.openapi(createReportRoute, async (c) => {
    const input = c.req.valid('json');
    const now = services.clock();
    const consent = grantConsent(input.consent, now);
    const self = services.identity.nodeId;
    const recipients = consent ? await services.directory.resolveRecipients(consent.recipients, self) : [];

    const { row, envelope } = await services.db.transaction(async (tx) => {
      const row = await insertCase(tx, {
        id: newId('case'),
        kind: input.kind,
        child: input.child,
        place: input.place,
        eventDate: input.eventDate,
        consent,
        createdAt: now,
        updatedAt: now,
      });
      if (!consent || recipients.length === 0) return { row, envelope: null };
      const envelope = await sealCaseSummary({
        summary: toSummary(row, self),
        scope: consent,
        recipients,
        signingKey: services.keys.signing,
        now,
      });
      await enqueueEnvelope(tx, envelope, row.id, currentTraceparent());
      return { row, envelope };
    });
    if (envelope) services.relay.notify([envelope.id]);
    const publication = envelope ? { envelopeId: envelope.id, recipients: envelope.recipients } : null;
    return c.json({ report: toReport(row), publication }, 201);
  });

  app.openapi(getReportRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const row = await findCase(services.db, caseId);
    if (!row) throw new ApiError('CASE_NOT_FOUND', `no case ${caseId} at this node`);
    return c.json(toReport(row), 200);
  });
}
