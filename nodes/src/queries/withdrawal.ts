// Withdrawals as the answering / owning node applies them (the routes that send them are in
// withdrawal.routes.ts). A withdrawn query leaves nothing behind but the audit trail: the
// received query and its handles are deleted, and its pending detail requests are cancelled
// (status `withdrawn`, so they no longer escalate and cannot be decided). A withdrawn detail
// request is marked `withdrawn` the same way. A withdrawal that overtook what it withdraws (it
// cannot through one hub, which keeps a subject's order, but a redelivery could) is remembered by
// the inbox log, and the late query or request is refused (`withdrawnBefore`).
import {
  type DetailWithdrawalBody,
  type Envelope,
  type EnvelopeType,
  envelopeIdFor,
  type QueryWithdrawalBody,
} from '@khoj/contracts';
import { and, eq, inArray } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import { detailRequests, hitHandles, inboxLog, receivedQueries } from '../db/schema/index.ts';
import type { ApplyTx } from '../exchange/handlers.ts';
import { EnvelopeRejected } from '../exchange/seal.ts';
import type { NodeServices } from '../services.ts';
import { requester, WITHDRAWAL_VERSION } from './query.ts';

/** Statuses of an incoming request that a withdrawal cancels: not yet decided. */
const UNDECIDED = ['pending', 'escalated'] as const;

/** Has `origin` already withdrawn `subject` (a query or detail request id) here? */
export async function withdrawnBefore(
  tx: Pick<ApplyTx, 'select'>,
  origin: string,
  type: Extract<EnvelopeType, 'query.request' | 'detail.request'>,
  subject: string,
): Promise<boolean> {
  const [row] = await tx
    .select({ outcome: inboxLog.outcome })
    .from(inboxLog)
    .where(
      and(
        eq(inboxLog.envelopeId, envelopeIdFor(origin, type, subject, WITHDRAWAL_VERSION)),
        eq(inboxLog.outcome, 'applied'),
      ),
    )
    .limit(1);
  return !!row;
}

/** At an answering node: forget the query and its handles, cancel its undecided detail requests. */
export async function applyQueryWithdrawal(
  tx: ApplyTx,
  services: NodeServices,
  envelope: Envelope,
  body: QueryWithdrawalBody,
): Promise<void> {
  const now = services.clock();
  const ofQuery = (table: typeof hitHandles | typeof receivedQueries) =>
    and(eq(table.origin, envelope.origin), eq(table.queryId, body.queryId));
  const handles = await tx.delete(hitHandles).where(ofQuery(hitHandles)).returning();
  const received = await tx.delete(receivedQueries).where(ofQuery(receivedQueries)).returning();
  const cancelled = await tx
    .update(detailRequests)
    .set({
      status: 'withdrawn',
      decidedAt: now,
      decisionReason: `query withdrawn by ${requester(body.withdrawnBy)}: ${body.reason}`.slice(0, 2000),
    })
    .where(
      and(
        eq(detailRequests.direction, 'incoming'),
        eq(detailRequests.peerNode, envelope.origin),
        eq(detailRequests.queryId, body.queryId),
        inArray(detailRequests.status, [...UNDECIDED]),
      ),
    )
    .returning();
  await appendAudit(tx, {
    at: now,
    actorId: `node:${envelope.origin}`,
    action: 'query.withdrawn',
    recordType: 'query',
    recordId: `${envelope.origin}/${body.queryId}`,
    reason: (
      `withdrawn by ${requester(body.withdrawnBy)}: ${body.reason}; forgot ` +
      `${received.length ? 'the query' : 'nothing of the query (not received)'}, ${handles.length} hit ` +
      `handle(s), cancelled ${cancelled.length} detail request(s)`
    ).slice(0, 2000),
  });
  for (const handle of handles) {
    await appendAudit(tx, {
      at: now,
      actorId: `node:${envelope.origin}`,
      action: 'case.query_hit_expired',
      recordType: 'case',
      recordId: handle.caseId,
      reason: `hit ${handle.handle} for query ${body.queryId} of ${envelope.origin} forgotten: query withdrawn`,
    });
  }
  for (const request of cancelled) {
    await appendAudit(tx, {
      at: now,
      actorId: `node:${envelope.origin}`,
      action: 'detail.withdrawn',
      recordType: 'detail_request',
      recordId: request.id,
      reason: `query ${body.queryId} withdrawn by ${envelope.origin}`,
    });
  }
}

/** At the owning node: mark the undecided request withdrawn; one already decided stays decided. */
export async function applyDetailWithdrawal(
  tx: ApplyTx,
  services: NodeServices,
  envelope: Envelope,
  body: DetailWithdrawalBody,
): Promise<void> {
  const [request] = await tx
    .select()
    .from(detailRequests)
    .where(
      and(
        eq(detailRequests.direction, 'incoming'),
        eq(detailRequests.peerNode, envelope.origin),
        eq(detailRequests.remoteId, body.requestId),
      ),
    )
    .for('update')
    .limit(1);
  if (!request) {
    throw new EnvelopeRejected(
      'ERR_SUBJECT_UNKNOWN',
      `no detail request ${body.requestId} of ${envelope.origin} to withdraw`,
    );
  }
  if (!(UNDECIDED as readonly string[]).includes(request.status)) {
    // Decided before the withdrawal arrived (or already withdrawn with its query).
    throw new EnvelopeRejected(
      request.status === 'withdrawn' ? 'ERR_DETAIL_REQUEST_WITHDRAWN' : 'ERR_DETAIL_REQUEST_DECIDED',
      `detail request ${request.id} (${envelope.origin} ${body.requestId}) was already ${request.status}`,
    );
  }
  const now = services.clock();
  await tx
    .update(detailRequests)
    .set({
      status: 'withdrawn',
      decidedAt: now,
      decisionReason: `withdrawn by ${requester(body.withdrawnBy)}: ${body.reason}`.slice(0, 2000),
    })
    .where(eq(detailRequests.id, request.id));
  await appendAudit(tx, {
    at: now,
    actorId: `node:${envelope.origin}`,
    action: 'detail.withdrawn',
    recordType: 'detail_request',
    recordId: request.id,
    reason: `withdrawn by ${requester(body.withdrawnBy)}: ${body.reason}`.slice(0, 2000),
  });
}
