// A cross-border candidate as officers see it, and the checks every route about one makes first:
// the candidate exists for the actor only when they may read the matches of its local case. The
// other side's case at the full tier (`details`) is shown only to whoever may read the local case
// itself: a role that follows matches without reading cases (DM/SP viewers) sees the match, not
// the foreign child's record.
import type { CrossBorderCandidate } from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { type Action, type Actor, mayActOnCase } from '../access/permissions.ts';
import { caseScope } from '../cases/report.ts';
import { findCase } from '../cases/reports.store.ts';
import {
  type CaseRow,
  type CrossBorderCandidateRow,
  type DetailRequestRow,
  detailRequests,
} from '../db/schema/index.ts';
import { explanationSteps } from '../matching/explanation.ts';
import type { NodeServices } from '../services.ts';
import { findCandidate } from './cross-border.store.ts';

/**
 * The candidate and its local case, when the actor may read the case's matches (else it does not
 * exist for them) and do `action` on the case (else 403).
 */
export async function candidateFor(
  services: NodeServices,
  actor: Actor,
  candidateId: string,
  action: Action,
): Promise<{ row: CrossBorderCandidateRow; local: CaseRow }> {
  const row = await findCandidate(services.db, candidateId);
  const local = row ? await findCase(services.db, row.localCaseId) : undefined;
  if (!row || !local || !mayActOnCase(actor, 'match.read', caseScope(local)))
    throw new ApiError('CANDIDATE_NOT_FOUND', `no cross-border candidate ${candidateId}`);
  if (!mayActOnCase(actor, action, caseScope(local)))
    throw new ApiError('FORBIDDEN', `you may not ${action} case ${local.id} of candidate ${candidateId}`);
  return { row, local };
}

type Db = Pick<NodeServices['db'], 'select'>;

export async function candidateView(
  db: Db,
  row: CrossBorderCandidateRow,
  local: CaseRow,
  actor: Actor,
): Promise<CrossBorderCandidate> {
  const [view] = await candidateViews(db, [row], local, actor);
  if (!view) throw new Error(`no view of ${row.id}`);
  return view;
}

/** The candidates with what this node asked of the other side for each (one query), as `actor` sees them. */
export async function candidateViews(
  db: Db,
  rows: CrossBorderCandidateRow[],
  local: CaseRow,
  actor: Actor,
): Promise<CrossBorderCandidate[]> {
  const readsCase = mayActOnCase(actor, 'case.read', caseScope(local));
  const requests = rows.length
    ? await db
        .select()
        .from(detailRequests)
        .where(
          and(
            eq(detailRequests.direction, 'outgoing'),
            inArray(
              detailRequests.candidateId,
              rows.map((row) => row.id),
            ),
          ),
        )
        .orderBy(desc(detailRequests.createdAt), desc(detailRequests.id))
    : [];
  return rows.map((row) => {
    const own = requests.filter((request) => request.candidateId === row.id);
    return toCandidate(
      row,
      local,
      own[0],
      readsCase ? own.find((request) => request.status === 'approved') : undefined,
    );
  });
}

function toCandidate(
  row: CrossBorderCandidateRow,
  local: CaseRow,
  latest: DetailRequestRow | undefined,
  approved: DetailRequestRow | undefined,
): CrossBorderCandidate {
  return {
    candidateId: row.id,
    role: row.role,
    localCaseId: row.localCaseId,
    localKind: local.kind,
    foreign: { origin: row.foreignOrigin, reference: row.foreignReference, version: row.foreignVersion },
    probability: row.probability,
    band: row.band,
    status: row.status,
    closedReason: row.closedReason,
    confirmedHere: row.confirmedHereAt
      ? { by: row.confirmedHereBy ?? '', at: row.confirmedHereAt.toISOString(), note: row.confirmedHereNote }
      : null,
    confirmedThere: row.confirmedThereAt ? { at: row.confirmedThereAt.toISOString() } : null,
    detailRequest: latest ? { requestId: latest.id, status: latest.status } : null,
    details: approved?.details ?? null,
    repatriation: row.repatriation,
    explanation: explanationSteps(row.explanation),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** This node's approved request for the other side of the match, if any (what confirm needs). */
export async function detailsReceived(db: Db, candidateId: string): Promise<boolean> {
  const [approved] = await db
    .select({ id: detailRequests.id })
    .from(detailRequests)
    .where(
      and(
        eq(detailRequests.direction, 'outgoing'),
        eq(detailRequests.candidateId, candidateId),
        eq(detailRequests.status, 'approved'),
      ),
    )
    .limit(1);
  return !!approved;
}
