// Detail requests, both ways. An anti-trafficking officer asks the node that gave a hit to one of
// their unit's queries for the case at the full tier (`detail.request` to that node only). At the
// owning node an authorised officer (`detail.decide` over the case) approves — the full-tier case
// goes as a `detail.response` encrypted to the requesting node only — or denies with a reason.
// Every step is audited, decision and outbox row in one transaction; a request already decided
// answers 409 DETAIL_REQUEST_DECIDED, one its requester withdrew (withdrawal.routes.ts) 409
// DETAIL_REQUEST_WITHDRAWN. A request the caller may not see answers 404.
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  approveDetailRequestRoute,
  createDetailRequestRoute,
  type DetailRequest,
  type DetailRequestBody,
  type DetailResponseBody,
  denyDetailRequestRoute,
  getDetailRequestRoute,
  listDetailRequestsRoute,
} from '@khoj/contracts';
import { ApiError, newId } from '@khoj/platform';
import { and, desc, eq, isNotNull, or, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import { type Actor, mayActOnCase, mayAttempt } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.store.ts';
import { caseScope } from '../cases/report.ts';
import { findCase } from '../cases/reports.store.ts';
import { findCandidate } from '../cross-border/cross-border.store.ts';
import {
  type CaseRow,
  cases,
  type DetailRequestRow,
  detailRequests,
  hitHandles,
  queries,
  queryHits,
} from '../db/schema/index.ts';
import { findUnit } from '../directory/units.store.ts';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { sealToMembers } from './envelopes.ts';
import { fullCaseDetails, handleDeadReason } from './query.ts';

/** How long a detail request or response waits at the hub to be collected. */
const DETAIL_ENVELOPE_LIFETIME_MS = 30 * 24 * 3_600_000;

/** What an outgoing detail request asks about: a hit of a query, or the peer's side of a match. */
type RequestedItem =
  | { about: 'query_hit'; queryId: string; handle: string }
  | { about: 'cross_border'; caseId: string; reference: string };

export type OutgoingDetailRequest = {
  peerNode: string;
  about: RequestedItem;
  /** The row's columns naming what it is about (query and handle, or candidate and local case). */
  columns: Pick<Partial<DetailRequestRow>, 'queryId' | 'handle' | 'candidateId' | 'caseId'>;
  purpose: DetailRequestRow['purpose'];
  legalBasis: DetailRequestRow['legalBasis'];
  reason: string;
  caseReference: string;
  /** The audit entry's account of whom it goes to and what for; purpose and reason are added. */
  audit: string;
};

/**
 * Asks `peerNode` for a case at the full tier: the `detail.request` sealed to that node only, the
 * outgoing row and its audit entry in one transaction, then the relay woken. Shared by the
 * requests about query hits (here) and about cross-border matches (cross-border/workflow.routes.ts).
 */
export async function sendDetailRequest(
  services: NodeServices,
  c: Context<NodeEnv>,
  request: OutgoingDetailRequest,
): Promise<DetailRequestRow> {
  const actor = c.get('actor');
  const now = services.clock();
  const id = newId('dreq');
  const requestedBy = { userId: actor.userId, displayName: actor.displayName, unitId: actor.unitId };
  const row = await services.db.transaction(async (tx) => {
    const body = {
      ...request.about,
      requestId: id,
      reason: request.reason,
      legalBasis: request.legalBasis,
      purpose: request.purpose,
      caseReference: request.caseReference,
      requestedBy,
      requestedAt: now.toISOString(),
    } satisfies DetailRequestBody;
    const envelope = await sealToMembers(tx, services, {
      type: 'detail.request',
      subject: id,
      body,
      nodeIds: [request.peerNode],
      purposes: [request.purpose],
      expiresAt: new Date(now.getTime() + DETAIL_ENVELOPE_LIFETIME_MS),
    });
    const [stored] = await tx
      .insert(detailRequests)
      .values({
        id,
        direction: 'outgoing',
        peerNode: request.peerNode,
        remoteId: id,
        ...request.columns,
        unitId: actor.unitId,
        purpose: request.purpose,
        legalBasis: request.legalBasis,
        reason: request.reason,
        caseReference: request.caseReference,
        requestedBy,
        status: 'pending',
        envelopeId: envelope.id,
        createdAt: now,
      })
      .returning();
    await appendAudit(tx, {
      actorId: actor.userId,
      unitId: actor.unitId,
      action: 'detail.request',
      recordType: 'detail_request',
      recordId: id,
      reason: `${request.audit}, ${request.purpose} under ${request.legalBasis}: ${request.reason}`.slice(
        0,
        2000,
      ),
      requestId: c.get('requestId'),
      at: now,
    });
    return stored as DetailRequestRow;
  });
  services.relay.notify([row.envelopeId]);
  return row;
}

export function registerDetailRequestRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  const self = services.identity.nodeId;
  const audit = (c: Context<NodeEnv>, action: string, recordId: string, reason: string) => ({
    actorId: c.get('actor').userId,
    unitId: c.get('actor').unitId,
    action,
    recordType: 'detail_request',
    recordId,
    reason: reason.slice(0, 2000),
    requestId: c.get('requestId'),
    at: services.clock(),
  });

  /** Outgoing requests of the actor's unit, and incoming ones about cases they may decide on. */
  function visible(actor: Actor, row: DetailRequestRow, caseRow: CaseRow | undefined): boolean {
    // About a cross-border match: whoever may read the match on this node's case (caseRow).
    if (row.direction === 'outgoing' && row.candidateId)
      return !!caseRow && mayActOnCase(actor, 'match.read', caseScope(caseRow));
    if (row.direction === 'outgoing') return mayAttempt(actor, 'query.ask') && row.unitId === actor.unitId;
    return !!caseRow && mayActOnCase(actor, 'detail.decide', caseScope(caseRow));
  }

  /** As `actor` sees it: the other side of a match at the full tier only with its local case readable. */
  function shownTo(actor: Actor, row: DetailRequestRow, caseRow: CaseRow | undefined): DetailRequest {
    const readsCase = !!caseRow && mayActOnCase(actor, 'case.read', caseScope(caseRow));
    return { ...toDetailRequest(row), ...(row.candidateId && !readsCase ? { details: null } : {}) };
  }

  function requireSomeAccess(actor: Actor): void {
    if (!(['query.ask', 'detail.decide', 'match.read'] as const).some((action) => mayAttempt(actor, action)))
      throw new ApiError('FORBIDDEN', 'your role may not query.ask, detail.decide or match.read');
  }

  app.openapi(createDetailRequestRoute, async (c) => {
    const input = c.req.valid('json');
    const actor = c.get('actor');
    const [hit] = await services.db
      .select({ nodeId: queryHits.nodeId, expiresAt: queryHits.expiresAt, query: queries })
      .from(queryHits)
      .innerJoin(queries, eq(queries.id, queryHits.queryId))
      .where(and(eq(queryHits.handle, input.handle), eq(queries.unitId, actor.unitId)))
      .limit(1);
    if (!hit)
      throw new ApiError('HIT_NOT_FOUND', `no hit ${input.handle} in the answers to your unit's queries`);
    const now = services.clock();
    if (hit.query.withdrawnAt)
      throw new ApiError('QUERY_WITHDRAWN', `query ${hit.query.id} was withdrawn: its hits are gone`);
    // The answering node would refuse it (ERR_HIT_EXPIRED): say so now rather than after a round trip.
    if (hit.expiresAt && hit.expiresAt.getTime() <= now.getTime())
      throw new ApiError(
        'HIT_EXPIRED',
        `hit ${input.handle} expired at ${hit.expiresAt.toISOString()} (${hit.nodeId} forgets its hits)`,
      );
    const row = await sendDetailRequest(services, c, {
      peerNode: hit.nodeId,
      about: { about: 'query_hit', queryId: hit.query.id, handle: input.handle },
      columns: { queryId: hit.query.id, handle: input.handle },
      purpose: input.purpose,
      legalBasis: input.legalBasis,
      reason: input.reason,
      caseReference: hit.query.caseReference,
      audit: `to ${hit.nodeId} for hit ${input.handle} of query ${hit.query.id}`,
    });
    return c.json(toDetailRequest(row), 201);
  });

  app.openapi(listDetailRequestsRoute, async (c) => {
    const { status, direction, limit } = c.req.valid('query');
    const actor = c.get('actor');
    requireSomeAccess(actor);
    const ways: SQL[] = [];
    if (mayAttempt(actor, 'query.ask') && direction !== 'incoming')
      ways.push(
        and(eq(detailRequests.direction, 'outgoing'), eq(detailRequests.unitId, actor.unitId)) as SQL,
      );
    // Requests about cross-border matches: those on cases the actor may read matches of (below).
    if (mayAttempt(actor, 'match.read') && direction !== 'incoming')
      ways.push(and(eq(detailRequests.direction, 'outgoing'), isNotNull(detailRequests.candidateId)) as SQL);
    if (mayAttempt(actor, 'detail.decide') && direction !== 'outgoing')
      ways.push(eq(detailRequests.direction, 'incoming'));
    if (ways.length === 0) return c.json({ requests: [] }, 200);
    // Over-read: incoming requests about cases outside the actor's reach are dropped below.
    const rows = await services.db
      .select({ request: detailRequests, caseRow: cases })
      .from(detailRequests)
      .leftJoin(cases, eq(cases.id, detailRequests.caseId))
      .where(and(or(...ways), status ? eq(detailRequests.status, status) : undefined))
      .orderBy(desc(detailRequests.createdAt), desc(detailRequests.id))
      .limit(limit * 4);
    const requests = rows
      .filter(({ request, caseRow }) => visible(actor, request, caseRow ?? undefined))
      .slice(0, limit)
      .map(({ request, caseRow }) => shownTo(actor, request, caseRow ?? undefined));
    await appendAudit(
      services.db,
      audit(c, 'detail.list', actor.unitId, `${requests.length} requests shown (${status ?? 'any status'})`),
    );
    return c.json({ requests }, 200);
  });

  /** The request if the actor may see it; 404 otherwise (its existence is not revealed). */
  async function requestFor(actor: Actor, requestId: string, from: Pick<typeof services.db, 'select'>) {
    const [row] = await from.select().from(detailRequests).where(eq(detailRequests.id, requestId)).limit(1);
    const caseRow = row?.caseId ? await findCase(from, row.caseId) : undefined;
    if (!row || !visible(actor, row, caseRow))
      throw new ApiError('DETAIL_REQUEST_NOT_FOUND', `no detail request ${requestId} that you may see`);
    return { row, caseRow };
  }

  app.openapi(getDetailRequestRoute, async (c) => {
    const { requestId } = c.req.valid('param');
    const actor = c.get('actor');
    requireSomeAccess(actor);
    const { row, caseRow } = await requestFor(actor, requestId, services.db);
    await appendAudit(services.db, audit(c, 'detail.read', requestId, `${row.direction}, ${row.status}`));
    return c.json(shownTo(actor, row, caseRow), 200);
  });

  /**
   * Decides an incoming request: locks it, refuses one already decided, seals the response to the
   * requesting node only, and records decision and audit entries with the outbox row.
   */
  async function decide(
    c: Context<NodeEnv>,
    requestId: string,
    decision: { approve: true; note: string | undefined } | { approve: false; reason: string },
  ): Promise<DetailRequestRow> {
    const actor = c.get('actor');
    const now = services.clock();
    const decided = await services.db.transaction(async (tx) => {
      const { row, caseRow } = await requestFor(actor, requestId, tx);
      if (row.direction !== 'incoming' || !caseRow)
        throw new ApiError('DETAIL_REQUEST_NOT_FOUND', `${requestId} is not a request made to this node`);
      const [locked] = await tx
        .select()
        .from(detailRequests)
        .where(eq(detailRequests.id, requestId))
        .for('update');
      if (locked?.status === 'withdrawn')
        throw new ApiError(
          'DETAIL_REQUEST_WITHDRAWN',
          `detail request ${requestId} was withdrawn by ${row.peerNode}: ${locked.decisionReason ?? ''}`,
        );
      if (locked?.status === 'approved' || locked?.status === 'denied')
        throw new ApiError(
          'DETAIL_REQUEST_DECIDED',
          `detail request ${requestId} was already ${locked.status}`,
        );
      let body: DetailResponseBody;
      if (decision.approve) {
        const stale = await staleReason(tx, row, caseRow, now);
        if (stale)
          throw new ApiError(
            'DETAIL_REQUEST_STALE',
            `detail request ${requestId} cannot be approved: ${stale}`,
          );
        const owner = await findUnit(tx, caseRow.ownerUnitId);
        if (!owner) throw new Error(`the owning unit of ${caseRow.id} is gone`);
        body = {
          requestId: row.remoteId,
          decision: 'approved',
          details: fullCaseDetails(caseRow, owner, self),
          decidedAt: now.toISOString(),
        };
      } else {
        body = {
          requestId: row.remoteId,
          decision: 'denied',
          reason: decision.reason,
          decidedAt: now.toISOString(),
        };
      }
      const envelope = await sealToMembers(tx, services, {
        type: 'detail.response',
        subject: row.id,
        body,
        nodeIds: [row.peerNode],
        purposes: [row.purpose],
        expiresAt: new Date(now.getTime() + DETAIL_ENVELOPE_LIFETIME_MS),
      });
      const [updated] = await tx
        .update(detailRequests)
        .set({
          status: decision.approve ? 'approved' : 'denied',
          decidedAt: now,
          decidedBy: actor.userId,
          decisionReason: decision.approve ? (decision.note ?? null) : decision.reason,
        })
        .where(eq(detailRequests.id, requestId))
        .returning();
      const to = `${row.peerNode} (request ${row.remoteId}, ${row.purpose} under ${row.legalBasis})`;
      await appendAudit(
        tx,
        audit(
          c,
          decision.approve ? 'detail.approve' : 'detail.deny',
          requestId,
          decision.approve
            ? `case ${caseRow.id} at the full tier to ${to}`
            : `denied to ${to}: ${decision.reason}`,
        ),
      );
      if (decision.approve) {
        await appendAudit(tx, {
          ...audit(c, 'case.disclose', caseRow.id, `full tier to ${to}`),
          recordType: 'case',
        });
      }
      return { row: updated as DetailRequestRow, envelopeId: envelope.id };
    });
    services.relay.notify([decided.envelopeId]);
    return decided.row;
  }

  /**
   * Why an incoming request may no longer be approved: its hit handle died (expired, swept, its
   * case closed or no longer shared) or its cross-border match closed, since it arrived.
   */
  async function staleReason(
    tx: Pick<NodeServices['db'], 'select'>,
    row: DetailRequestRow,
    caseRow: CaseRow,
    now: Date,
  ): Promise<string | undefined> {
    if (row.candidateId) {
      const candidate = await findCandidate(tx, row.candidateId);
      if (!candidate || candidate.status === 'closed')
        return `the cross-border match is closed (${candidate?.closedReason ?? 'gone'})`;
      return undefined;
    }
    if (!row.handle) return undefined;
    const [handle] = await tx.select().from(hitHandles).where(eq(hitHandles.handle, row.handle));
    if (!handle) return `hit ${row.handle} is no longer held`;
    const dead = handleDeadReason(handle, caseRow, now);
    return dead ? `hit ${row.handle}: ${dead}` : undefined;
  }

  app.openapi(approveDetailRequestRoute, async (c) => {
    const { requestId } = c.req.valid('param');
    const { note } = c.req.valid('json');
    return c.json(toDetailRequest(await decide(c, requestId, { approve: true, note })), 200);
  });

  app.openapi(denyDetailRequestRoute, async (c) => {
    const { requestId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    return c.json(toDetailRequest(await decide(c, requestId, { approve: false, reason })), 200);
  });
}

export function toDetailRequest(row: DetailRequestRow): DetailRequest {
  return {
    requestId: row.id,
    direction: row.direction,
    peerNode: row.peerNode,
    queryId: row.queryId,
    handle: row.handle,
    candidateId: row.candidateId,
    caseId: row.caseId,
    purpose: row.purpose,
    legalBasis: row.legalBasis,
    reason: row.reason,
    caseReference: row.caseReference,
    requestedBy: row.requestedBy,
    status: row.status,
    deadline: row.deadline?.toISOString() ?? null,
    escalatedAt: row.escalatedAt?.toISOString() ?? null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decidedBy: row.decidedBy,
    decisionReason: row.decisionReason,
    details: row.details,
    createdAt: row.createdAt.toISOString(),
  };
}
