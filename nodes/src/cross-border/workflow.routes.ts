// The workflow on a cross-border candidate, by this node's officers: ask the other node for its side
// of the match at the full tier (a `detail.request` about the match, decided there like any detail
// request), confirm (only once that side was received: 409 CROSS_BORDER_DETAILS_REQUIRED) or reject
// this side, and record repatriation steps on a match both sides confirmed (409
// CANDIDATE_NOT_CONFIRMED before). Decisions need `match.decide` over the local case, steps
// `case.progress`; each is audited, and its notice to the other node written to the outbox, in the
// transaction of the change.
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  confirmCrossBorderCandidateRoute,
  type RepatriationEntry,
  recordRepatriationStepRoute,
  rejectCrossBorderCandidateRoute,
  requestCrossBorderDetailsRoute,
} from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Action } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.store.ts';
import { caseAudit } from '../cases/case-access.ts';
import { checkTransition } from '../cases/lifecycle.ts';
import { findCase } from '../cases/reports.store.ts';
import { type CaseRow, type CrossBorderCandidateRow, crossBorderCandidates } from '../db/schema/index.ts';
import type { NodeEnv } from '../env.ts';
import type { ApplyTx } from '../exchange/handlers.ts';
import { sendDetailRequest, toDetailRequest } from '../queries/detail-requests.routes.ts';
import type { NodeServices } from '../services.ts';
import { candidateFor, candidateView, detailsReceived } from './candidate-view.ts';
import { findCandidate, pairOf } from './cross-border.store.ts';
import { addRepatriationStep, markMatched, sendMatchEvent } from './workflow.ts';

export function registerCrossBorderWorkflowRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  const self = services.identity.nodeId;
  const audit = (c: Context<NodeEnv>, action: string, caseId: string, reason: string) =>
    caseAudit(c, services, action, caseId, reason.slice(0, 2000));

  /**
   * Runs `change` on the locked candidate (refusing one that is closed), then wakes the relay for
   * the notices written and the matcher for a case moved to `matched`.
   */
  async function onCandidate(
    c: Context<NodeEnv>,
    candidateId: string,
    action: Action,
    change: (
      tx: ApplyTx,
      row: CrossBorderCandidateRow,
      local: CaseRow,
    ) => Promise<{ envelopes: string[]; matched?: boolean }>,
  ) {
    await candidateFor(services, c.get('actor'), candidateId, action);
    const result = await services.db.transaction(async (tx) => {
      const row = await findCandidate(tx, candidateId, true);
      const local = row ? await findCase(tx, row.localCaseId) : undefined;
      if (!row || !local)
        throw new ApiError('CANDIDATE_NOT_FOUND', `no cross-border candidate ${candidateId}`);
      if (row.status === 'closed')
        throw new ApiError('CANDIDATE_DECIDED', `candidate ${candidateId} is closed: ${row.closedReason}`);
      const outcome = await change(tx, row, local);
      const updated = (await findCandidate(tx, candidateId)) as CrossBorderCandidateRow;
      return {
        ...outcome,
        view: await candidateView(tx, updated, (await findCase(tx, local.id)) as CaseRow, c.get('actor')),
      };
    });
    if (result.envelopes.length > 0) services.relay.notify(result.envelopes);
    if (result.matched) services.matching.notify([result.view.localCaseId]);
    return result.view;
  }

  app.openapi(requestCrossBorderDetailsRoute, async (c) => {
    const { candidateId } = c.req.valid('param');
    const input = c.req.valid('json');
    const actor = c.get('actor');
    const { row: candidate, local } = await candidateFor(services, actor, candidateId, 'match.decide');
    if (candidate.status === 'closed')
      throw new ApiError(
        'CANDIDATE_DECIDED',
        `candidate ${candidateId} is closed: ${candidate.closedReason}`,
      );
    const row = await sendDetailRequest(services, c, {
      peerNode: candidate.foreignOrigin,
      about: { about: 'cross_border', ...pairOf(candidate) },
      columns: { candidateId, caseId: local.id },
      purpose: input.purpose,
      legalBasis: input.legalBasis,
      reason: input.reason,
      caseReference: input.caseReference,
      audit: `to ${candidate.foreignOrigin} for its side of cross-border match ${candidateId}`,
    });
    return c.json(toDetailRequest(row), 201);
  });

  app.openapi(confirmCrossBorderCandidateRoute, async (c) => {
    const { candidateId } = c.req.valid('param');
    const { note } = c.req.valid('json');
    const actor = c.get('actor');
    const view = await onCandidate(c, candidateId, 'match.decide', async (tx, row, local) => {
      if (row.confirmedHereAt)
        throw new ApiError('CANDIDATE_DECIDED', `candidate ${candidateId} is already confirmed here`);
      // Nobody confirms a child they have not seen the other side of.
      if (!(await detailsReceived(tx, candidateId)))
        throw new ApiError(
          'CROSS_BORDER_DETAILS_REQUIRED',
          `confirm needs ${row.foreignOrigin}'s side of the match at the full tier: request it first ` +
            `(POST /v1/cross-border-candidates/${candidateId}/detail-requests) and wait for its approval`,
        );
      const reason = note ?? `cross-border match ${candidateId} confirmed`;
      if (local.status !== 'matched') {
        const check = checkTransition(local.status, 'matched', reason);
        if (!check.ok)
          throw new ApiError(check.code, `case ${local.id} cannot be confirmed as matched: ${check.message}`);
      }
      const now = services.clock();
      const both = row.confirmedThereAt !== null;
      await tx
        .update(crossBorderCandidates)
        .set({
          confirmedHereAt: now,
          confirmedHereBy: actor.userId,
          confirmedHereNote: note ?? null,
          status: both ? 'confirmed' : 'proposed',
          updatedAt: now,
        })
        .where(eq(crossBorderCandidates.id, candidateId));
      await appendAudit(
        tx,
        audit(
          c,
          'match.cross_border.confirm',
          local.id,
          `${candidateId}${both ? ' (both sides)' : ''}: ${reason}`,
        ),
      );
      const matched = both ? await markMatched(tx, local.id, actor.userId, reason, now) : false;
      const envelope = await sendMatchEvent(tx, services, row, {
        event: 'confirmed',
        ...pairOf(row),
        ...(note ? { note } : {}),
        at: now.toISOString(),
      });
      return { envelopes: envelope ? [envelope.id] : [], matched };
    });
    return c.json(view, 200);
  });

  app.openapi(rejectCrossBorderCandidateRoute, async (c) => {
    const { candidateId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const view = await onCandidate(c, candidateId, 'match.decide', async (tx, row, local) => {
      // Undoing a match both sides confirmed is a change of the case (reopen it), not a rejection.
      if (row.status === 'confirmed')
        throw new ApiError('CANDIDATE_DECIDED', `candidate ${candidateId} was confirmed by both sides`);
      const now = services.clock();
      await tx
        .update(crossBorderCandidates)
        .set({ status: 'closed', closedReason: `rejected here: ${reason}`, updatedAt: now })
        .where(eq(crossBorderCandidates.id, candidateId));
      await appendAudit(tx, audit(c, 'match.cross_border.reject', local.id, `${candidateId}: ${reason}`));
      const envelope = await sendMatchEvent(tx, services, row, {
        event: 'rejected',
        ...pairOf(row),
        reason,
        at: now.toISOString(),
      });
      return { envelopes: envelope ? [envelope.id] : [] };
    });
    return c.json(view, 200);
  });

  app.openapi(recordRepatriationStepRoute, async (c) => {
    const { candidateId } = c.req.valid('param');
    const input = c.req.valid('json');
    const actor = c.get('actor');
    const view = await onCandidate(c, candidateId, 'case.progress', async (tx, row, local) => {
      if (row.status !== 'confirmed')
        throw new ApiError(
          'CANDIDATE_NOT_CONFIRMED',
          `candidate ${candidateId} is not confirmed by both sides (here: ${row.confirmedHereAt ? 'yes' : 'no'}, ` +
            `${row.foreignOrigin}: ${row.confirmedThereAt ? 'yes' : 'no'})`,
        );
      const now = services.clock();
      const entry: RepatriationEntry = { ...input, recordedBy: self, recordedAt: now.toISOString() };
      await addRepatriationStep(tx, row, entry, { authorId: actor.userId, unitId: actor.unitId }, self);
      await appendAudit(
        tx,
        audit(c, 'case.progress.repatriation', local.id, `${candidateId}: ${input.step} on ${input.date}`),
      );
      const envelope = await sendMatchEvent(tx, services, row, {
        event: 'progress',
        ...pairOf(row),
        ...input,
        at: now.toISOString(),
      });
      return { envelopes: envelope ? [envelope.id] : [] };
    });
    return c.json(view, 201);
  });
}
