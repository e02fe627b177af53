// Withdrawing, by the asking unit's officers (`query.ask`, their unit's queries and requests only;
// another unit's answers 404 as if it did not exist):
// - a query: marked withdrawn, its pending outgoing detail requests with it, and a withdrawal sent
//   as version 2 of its `query.request` to the same targets, so the hub fans it out like the query
//   and each answering node forgets the query and its handles and cancels its pending detail
//   requests (withdrawal.ts). Answers arriving later are refused here.
// - one pending outgoing detail request: marked withdrawn and a withdrawal sent as version 2 of its
//   `detail.request` to the owning node, which may then no longer decide it or escalate it.
// Each is audited and committed with its outbox row; a second withdrawal answers 409.
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  type DetailWithdrawalBody,
  NODE_ID_PATTERN,
  type Query,
  type QueryWithdrawalBody,
  withdrawDetailRequestRoute,
  withdrawQueryRoute,
} from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import { and, eq, inArray } from 'drizzle-orm';
import type { Context } from 'hono';
import { appendAudit } from '../audit/audit.store.ts';
import { type DetailRequestRow, detailRequests, type QueryRow, queries } from '../db/schema/index.ts';
import type { NodeEnv } from '../env.ts';
import type { ApplyTx } from '../exchange/handlers.ts';
import type { NodeServices } from '../services.ts';
import { toDetailRequest } from './detail-requests.routes.ts';
import { sealToMembers } from './envelopes.ts';
import { WITHDRAWAL_VERSION } from './query.ts';

/** How long a withdrawal waits at the hub: as long as a query (it must reach every node that got it). */
const WITHDRAWAL_LIFETIME_MS = 7 * 24 * 3_600_000;
/** A detail withdrawal waits as long as the request it withdraws may. */
const DETAIL_WITHDRAWAL_LIFETIME_MS = 30 * 24 * 3_600_000;

export function registerWithdrawalRoutes(
  app: OpenAPIHono<NodeEnv>,
  services: NodeServices,
  /** The query as the API shows it (queries.routes.ts): answers and hits read again. */
  showQuery: (row: QueryRow) => Promise<Query>,
): void {
  const audit = (
    c: Context<NodeEnv>,
    recordType: string,
    action: string,
    recordId: string,
    reason: string,
  ) => ({
    actorId: c.get('actor').userId,
    unitId: c.get('actor').unitId,
    action,
    recordType,
    recordId,
    reason: reason.slice(0, 2000),
    requestId: c.get('requestId'),
    at: services.clock(),
  });
  /** Those of `nodeIds` still in the directory with an encryption key, read through `tx`. */
  async function stillMembers(tx: ApplyTx, nodeIds: string[]): Promise<string[]> {
    const members = await services.directory.members(tx);
    return nodeIds.filter((nodeId) =>
      members.some((member) => member.nodeId === nodeId && member.encryptionKeys.length > 0),
    );
  }
  const withdrawer = (c: Context<NodeEnv>) => {
    const actor = c.get('actor');
    return { userId: actor.userId, displayName: actor.displayName, unitId: actor.unitId };
  };

  app.openapi(withdrawQueryRoute, async (c) => {
    const { queryId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const actor = c.get('actor');
    const now = services.clock();
    const { row, envelopeId } = await services.db.transaction(async (tx) => {
      const [query] = await tx
        .select()
        .from(queries)
        .where(and(eq(queries.id, queryId), eq(queries.unitId, actor.unitId)))
        .for('update');
      if (!query) throw new ApiError('QUERY_NOT_FOUND', `no query ${queryId} of your unit`);
      if (query.withdrawnAt)
        throw new ApiError(
          'QUERY_WITHDRAWN',
          `query ${queryId} was already withdrawn at ${query.withdrawnAt.toISOString()}`,
        );
      const body: QueryWithdrawalBody = {
        action: 'withdraw',
        queryId,
        withdrawnBy: withdrawer(c),
        withdrawnAt: now.toISOString(),
        reason,
      };
      // A node that has since left the federation cannot be encrypted to (nor can it ask for details).
      const reachable = await stillMembers(tx, query.sentTo);
      const envelope =
        reachable.length === 0
          ? undefined
          : await sealToMembers(tx, services, {
              type: 'query.request',
              subject: queryId,
              version: WITHDRAWAL_VERSION,
              body,
              nodeIds: reachable,
              routeTo: query.targets.filter(
                (target) => !NODE_ID_PATTERN.test(target) || reachable.includes(target),
              ),
              purposes: [query.purpose],
              expiresAt: new Date(now.getTime() + WITHDRAWAL_LIFETIME_MS),
            });
      const [updated] = await tx
        .update(queries)
        .set({ withdrawnAt: now, withdrawnBy: actor.userId, withdrawReason: reason })
        .where(eq(queries.id, queryId))
        .returning();
      // The answering nodes cancel their side; here the requests end with the query.
      const cancelled = await tx
        .update(detailRequests)
        .set({
          status: 'withdrawn',
          decidedAt: now,
          decidedBy: actor.userId,
          decisionReason: `query withdrawn: ${reason}`,
        })
        .where(
          and(
            eq(detailRequests.direction, 'outgoing'),
            eq(detailRequests.queryId, queryId),
            inArray(detailRequests.status, ['pending', 'escalated']),
          ),
        )
        .returning({ id: detailRequests.id });
      await appendAudit(
        tx,
        audit(
          c,
          'query',
          'query.withdraw',
          queryId,
          `${reason}; told ${reachable.join(', ') || 'nobody (no answering node is still a member)'}; ` +
            `${cancelled.length} pending detail request(s) withdrawn`,
        ),
      );
      for (const request of cancelled) {
        await appendAudit(
          tx,
          audit(c, 'detail_request', 'detail.withdraw', request.id, `with query ${queryId}: ${reason}`),
        );
      }
      return { row: updated as QueryRow, envelopeId: envelope?.id };
    });
    if (envelopeId) services.relay.notify([envelopeId]);
    return c.json(await showQuery(row), 200);
  });

  app.openapi(withdrawDetailRequestRoute, async (c) => {
    const { requestId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const actor = c.get('actor');
    const now = services.clock();
    const { row, envelopeId } = await services.db.transaction(async (tx) => {
      const [request] = await tx
        .select()
        .from(detailRequests)
        .where(
          and(
            eq(detailRequests.id, requestId),
            eq(detailRequests.direction, 'outgoing'),
            eq(detailRequests.unitId, actor.unitId),
          ),
        )
        .for('update');
      if (!request)
        throw new ApiError(
          'DETAIL_REQUEST_NOT_FOUND',
          `no outgoing detail request ${requestId} of your unit`,
        );
      if (request.status === 'withdrawn')
        throw new ApiError(
          'DETAIL_REQUEST_WITHDRAWN',
          `detail request ${requestId} was already withdrawn at ${request.decidedAt?.toISOString()}`,
        );
      if (request.status !== 'pending')
        throw new ApiError(
          'DETAIL_REQUEST_DECIDED',
          `detail request ${requestId} was already ${request.status} by ${request.peerNode}`,
        );
      const body: DetailWithdrawalBody = {
        action: 'withdraw',
        requestId,
        withdrawnBy: withdrawer(c),
        withdrawnAt: now.toISOString(),
        reason,
      };
      const reachable = await stillMembers(tx, [request.peerNode]);
      const envelope =
        reachable.length === 0
          ? undefined
          : await sealToMembers(tx, services, {
              type: 'detail.request',
              subject: requestId,
              version: WITHDRAWAL_VERSION,
              body,
              nodeIds: reachable,
              purposes: [request.purpose],
              expiresAt: new Date(now.getTime() + DETAIL_WITHDRAWAL_LIFETIME_MS),
            });
      const [updated] = await tx
        .update(detailRequests)
        .set({ status: 'withdrawn', decidedAt: now, decidedBy: actor.userId, decisionReason: reason })
        .where(eq(detailRequests.id, requestId))
        .returning();
      await appendAudit(
        tx,
        audit(
          c,
          'detail_request',
          'detail.withdraw',
          requestId,
          `${envelope ? 'told' : 'could not tell (no longer a member)'} ${request.peerNode}: ${reason}`,
        ),
      );
      return { row: updated as DetailRequestRow, envelopeId: envelope?.id };
    });
    if (envelopeId) services.relay.notify([envelopeId]);
    return c.json(toDetailRequest(row), 200);
  });
}
