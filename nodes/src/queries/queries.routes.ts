// Hit / no-hit queries from this node's anti-trafficking officers: ask (stored, audited and sealed
// to every member the targets may reach, in one transaction with its outbox row), list the unit's
// queries, and read one with each node's answer so far. A query belongs to the asking unit: other
// units do not see it (404). Withdrawing a query (or one detail request) is in withdrawal.routes.ts.
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  createQueryRoute,
  getQueryRoute,
  listQueriesRoute,
  NODE_ID_PATTERN,
  type Query,
  type QueryRequestBody,
} from '@khoj/contracts';
import { ApiError, newId } from '@khoj/platform';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Context } from 'hono';
import { appendAudit } from '../audit/audit.store.ts';
import { type QueryRow, queries, queryAnswers, queryHits } from '../db/schema/index.ts';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { sealToMembers } from './envelopes.ts';
import { queryAnswers as answersOf, queryRecipients } from './query.ts';
import { registerWithdrawalRoutes } from './withdrawal.routes.ts';

/** How long a query waits at the hub for a node to collect it. */
const QUERY_LIFETIME_MS = 7 * 24 * 3_600_000;

export function registerQueryRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  const self = services.identity.nodeId;
  const audit = (c: Context<NodeEnv>, action: string, recordId: string, reason: string) => ({
    actorId: c.get('actor').userId,
    unitId: c.get('actor').unitId,
    action,
    recordType: 'query',
    recordId,
    reason,
    requestId: c.get('requestId'),
    at: services.clock(),
  });

  /** The queries with their answers and hits, read in three statements. */
  async function withAnswers(rows: QueryRow[]): Promise<Query[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const [answers, hits] = await Promise.all([
      services.db.select().from(queryAnswers).where(inArray(queryAnswers.queryId, ids)),
      services.db.select().from(queryHits).where(inArray(queryHits.queryId, ids)),
    ]);
    return rows.map((row) =>
      toQuery(
        row,
        answersOf(
          row,
          answers.filter((answer) => answer.queryId === row.id),
          hits.filter((hit) => hit.queryId === row.id),
        ),
      ),
    );
  }

  app.openapi(createQueryRoute, async (c) => {
    const input = c.req.valid('json');
    const actor = c.get('actor');
    const now = services.clock();
    const id = newId('query');
    // Read before the transaction: it may load the stored configuration (PGlite: one connection).
    const config = await services.trust.current();
    const row = await services.db.transaction(async (tx) => {
      const sentTo = queryRecipients(
        (await services.directory.members(tx)).filter((member) => member.encryptionKeys.length > 0),
        input.targets,
        input.purpose,
        self,
        config,
      );
      if (sentTo.length === 0) {
        throw new ApiError(
          'QUERY_NO_RECIPIENTS',
          `no other member matching ${input.targets.join(', ')} accepts ${input.purpose}`,
        );
      }
      const body: QueryRequestBody = {
        queryId: id,
        askedBy: { userId: actor.userId, displayName: actor.displayName, unitId: actor.unitId },
        askedAt: now.toISOString(),
        lookingFor: input.lookingFor,
        child: input.child,
        place: input.place,
        eventDate: input.eventDate,
        purpose: input.purpose,
        legalBasis: input.legalBasis,
        caseReference: input.caseReference,
      };
      // Patterns go to the hub as given; a node id left out by policy would make it refuse them all.
      const routeTo = input.targets.filter(
        (target) => !NODE_ID_PATTERN.test(target) || sentTo.includes(target),
      );
      const envelope = await sealToMembers(tx, services, {
        type: 'query.request',
        subject: id,
        body,
        nodeIds: sentTo,
        routeTo,
        purposes: [input.purpose],
        expiresAt: new Date(now.getTime() + QUERY_LIFETIME_MS),
      });
      const [stored] = await tx
        .insert(queries)
        .values({
          id,
          unitId: actor.unitId,
          askedBy: body.askedBy,
          lookingFor: input.lookingFor,
          child: input.child,
          place: input.place,
          eventDate: input.eventDate,
          purpose: input.purpose,
          legalBasis: input.legalBasis,
          caseReference: input.caseReference,
          targets: routeTo,
          sentTo,
          envelopeId: envelope.id,
          createdAt: now,
        })
        .returning();
      await appendAudit(
        tx,
        audit(
          c,
          'query.create',
          id,
          `for ${input.purpose} under ${input.legalBasis}, reference ${input.caseReference}; ` +
            `looking for ${input.lookingFor} reports at ${sentTo.join(', ')}`,
        ),
      );
      return stored as QueryRow;
    });
    services.relay.notify([row.envelopeId]);
    return c.json(toQuery(row, answersOf(row, [], [])), 201);
  });

  app.openapi(listQueriesRoute, async (c) => {
    const { limit } = c.req.valid('query');
    const actor = c.get('actor');
    const rows = await services.db
      .select()
      .from(queries)
      .where(eq(queries.unitId, actor.unitId))
      .orderBy(desc(queries.createdAt), desc(queries.id))
      .limit(limit);
    await appendAudit(services.db, audit(c, 'query.list', actor.unitId, `${rows.length} queries shown`));
    return c.json({ queries: await withAnswers(rows) }, 200);
  });

  app.openapi(getQueryRoute, async (c) => {
    const { queryId } = c.req.valid('param');
    const actor = c.get('actor');
    const [row] = await services.db
      .select()
      .from(queries)
      .where(and(eq(queries.id, queryId), eq(queries.unitId, actor.unitId)))
      .limit(1);
    if (!row) throw new ApiError('QUERY_NOT_FOUND', `no query ${queryId} of your unit`);
    const [query] = await withAnswers([row]);
    await appendAudit(services.db, audit(c, 'query.read', queryId, 'read'));
    return c.json(query as Query, 200);
  });

  registerWithdrawalRoutes(app, services, async (row) => (await withAnswers([row]))[0] as Query);
}

function toQuery(row: QueryRow, answers: Query['answers']): Query {
  return {
    queryId: row.id,
    lookingFor: row.lookingFor,
    child: row.child,
    place: row.place,
    eventDate: row.eventDate,
    purpose: row.purpose,
    legalBasis: row.legalBasis,
    caseReference: row.caseReference,
    targets: row.targets,
    askedBy: row.askedBy,
    envelopeId: row.envelopeId,
    createdAt: row.createdAt.toISOString(),
    answers,
    withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
    withdrawnBy: row.withdrawnBy,
    withdrawReason: row.withdrawReason,
  };
}
