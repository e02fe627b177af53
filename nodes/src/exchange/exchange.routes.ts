// GET /v1/foreign-summaries and GET /v1/exchange/status: what arrived from other nodes, and how
// the outbox and inbox stand; GET /v1/exchange/refusals and /v1/exchange/dead-letters: what the
// hub refused or dropped undelivered of this node's envelopes (`exchange.read`: administrators).
// Received summaries are listed within the reader's reach of their place (`foreign.read`, see
// permissions.ts), each row checked again by the rule itself, and the list is audited.
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  exchangeDeadLettersRoute,
  exchangeRefusalsRoute,
  exchangeStatusRoute,
  foreignSummariesRoute,
} from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import { foreignSummaryFilter, mayReadForeignSummary } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.store.ts';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { listDeadLetters } from './dead-letters.ts';
import { listForeignSummaries } from './foreign-summaries.store.ts';
import { inboxCounts } from './inbox.ts';
import { listRefusedEnvelopes, outboxCounts } from './outbox.store.ts';

export function registerExchangeRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  app.openapi(foreignSummariesRoute, async (c) => {
    const { origin } = c.req.valid('query');
    const actor = c.get('actor');
    const rows = await listForeignSummaries(services.db, foreignSummaryFilter(actor), { origin, limit: 500 });
    // The query applies the rule; each row is checked again by the rule itself, so that no fault
    // in the query lists a summary the reader does not reach (as the report list does).
    const shown = rows.filter((row) => mayReadForeignSummary(actor, row.summary.place));
    await appendAudit(services.db, {
      actorId: actor.userId,
      unitId: actor.unitId,
      action: 'foreign.list',
      recordType: 'foreign_summary',
      recordId: origin ?? 'any',
      reason: `${shown.length} shown`,
      requestId: c.get('requestId'),
      at: services.clock(),
    });
    const summaries = shown.map((row) => ({
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

  app.openapi(exchangeRefusalsRoute, async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const rows = await listRefusedEnvelopes(services.db, { limit: limit + 1, before: refusalCursor(cursor) });
    const page = rows.slice(0, limit);
    const refusals = page.map((row) => ({
      envelopeId: row.envelopeId,
      type: row.envelope.type,
      subject: row.subject,
      recipients: row.envelope.recipients,
      purposes: row.envelope.purposes,
      code: row.refusalCode ?? 'UNKNOWN',
      message: row.lastError ?? '',
      refusedAt: (row.refusedAt ?? row.createdAt).toISOString(),
    }));
    const last = refusals.at(-1);
    const next =
      rows.length > limit && last
        ? Buffer.from(`${last.refusedAt}~${last.envelopeId}`).toString('base64url')
        : null;
    return c.json({ refusals, next }, 200);
  });

  app.openapi(exchangeDeadLettersRoute, async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const before = cursor === undefined ? undefined : Number(cursor);
    if (before !== undefined && !(Number.isSafeInteger(before) && before > 0))
      throw new ApiError('VALIDATION_FAILED', 'cursor: pass `next` of the previous page');
    const rows = await listDeadLetters(services.db, { limit: limit + 1, before });
    const page = rows.slice(0, limit);
    const deadLetters = page.map((row) => ({
      envelopeId: row.envelopeId,
      type: row.type,
      subject: row.subject,
      purposes: row.purposes,
      undeliveredTo: row.undeliveredTo,
      expiresAt: row.expiresAt.toISOString(),
      droppedAt: row.droppedAt.toISOString(),
      notice: row.notice,
      receivedAt: row.receivedAt.toISOString(),
    }));
    const last = page.at(-1);
    return c.json({ deadLetters, next: rows.length > limit && last ? String(last.hubSeq) : null }, 200);
  });
}

/** The refusal page cursor (`<refusedAt>~<envelopeId>`, base64url), or a 400 naming it. */
function refusalCursor(cursor: string | undefined): { at: Date; envelopeId: string } | undefined {
  if (cursor === undefined) return undefined;
  const [at, envelopeId] = Buffer.from(cursor, 'base64url').toString('utf8').split('~');
  const when = at ? new Date(at) : undefined;
  if (!when || Number.isNaN(when.getTime()) || !envelopeId)
    throw new ApiError('VALIDATION_FAILED', 'cursor: pass `next` of the previous page');
  return { at: when, envelopeId };
}
