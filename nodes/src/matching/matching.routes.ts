// The match candidate routes: candidates for a report (ranked, explained), confirm, reject. A
// candidate is visible only when the actor may read both of its reports (one they may not read
// is left out, as the report list leaves it out); a decision needs `match.decide` over at least
// one of them. Reads and decisions are audited; a confirmation moves both reports to `matched`
// through the case lifecycle, with their versions and audit entries, in one transaction.
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  type CandidateDecision,
  confirmCandidateRoute,
  type ExplanationStep,
  listCandidatesRoute,
  type MatchCandidate,
  rejectCandidateRoute,
} from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import { and, desc, eq, inArray, or } from 'drizzle-orm';
import type { Context } from 'hono';
import { type Actor, mayActOnCase } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.store.ts';
import { caseAudit } from '../cases/case-access.ts';
import { checkTransition } from '../cases/lifecycle.ts';
import { caseScope } from '../cases/report.ts';
import { findCase, recordVersion, updateCase } from '../cases/reports.store.ts';
import { type CaseRow, cases, type MatchCandidateRow, matchCandidates } from '../db/schema/index.ts';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { explanationSteps } from './explanation.ts';
import { profileFromCase } from './from-case.ts';
import { materialDigest } from './keys.ts';
import { matchThresholds } from './thresholds.ts';

export function registerMatchingRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  const thresholds = matchThresholds(services.config);
  const audit = (c: Context<NodeEnv>, action: string, recordId: string, reason?: string | null) =>
    caseAudit(c, services, action, recordId, reason);
  const mayRead = (actor: Actor, row: CaseRow) => mayActOnCase(actor, 'match.read', caseScope(row));

  function toCandidate(row: MatchCandidateRow, counterpart: CaseRow): MatchCandidate {
    return {
      ...decided(row),
      counterpart: {
        caseId: counterpart.id,
        kind: counterpart.kind,
        status: counterpart.status,
        ownerUnitId: counterpart.ownerUnitId,
      },
    };
  }

  function decided(row: MatchCandidateRow): Omit<MatchCandidate, 'counterpart'> {
    return {
      candidateId: row.id,
      missingCaseId: row.missingCaseId,
      foundCaseId: row.foundCaseId,
      probability: row.probability,
      weight: row.weight,
      alert: row.probability >= thresholds.alert,
      status: row.status,
      reason: row.reason,
      decidedBy: row.decidedBy,
      decidedAt: row.decidedAt?.toISOString() ?? null,
      explanation: explanationSteps(row.explanation) satisfies ExplanationStep[],
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  /**
   * The candidate and both its reports, when the actor may read both (else it does not exist for
   * them) and decide over at least one (else 403).
   */
  async function candidateFor(actor: Actor, candidateId: string) {
    const [row] = await services.db
      .select()
      .from(matchCandidates)
      .where(eq(matchCandidates.id, candidateId))
      .limit(1);
    const missing = row ? await findCase(services.db, row.missingCaseId) : undefined;
    const found = row ? await findCase(services.db, row.foundCaseId) : undefined;
    if (!row || !missing || !found || !mayRead(actor, missing) || !mayRead(actor, found))
      throw new ApiError('CANDIDATE_NOT_FOUND', `no match candidate ${candidateId}`);
    const mayDecide = [missing, found].some((report) =>
      mayActOnCase(actor, 'match.decide', caseScope(report)),
    );
    if (!mayDecide)
      throw new ApiError(
        'FORBIDDEN',
        `you may not decide on candidate ${candidateId}: neither report is within your jurisdiction`,
      );
    return row;
  }

  app.openapi(listCandidatesRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { status, limit } = c.req.valid('query');
    const actor = c.get('actor');
    const report = await findCase(services.db, caseId);
    if (!report || !mayRead(actor, report)) throw new ApiError('CASE_NOT_FOUND', `no case ${caseId}`);
    const side = report.kind === 'missing' ? matchCandidates.missingCaseId : matchCandidates.foundCaseId;
    // Over-read: candidates whose other report the actor may not read are dropped below.
    const rows = await services.db
      .select()
      .from(matchCandidates)
      .where(and(eq(side, caseId), status ? eq(matchCandidates.status, status) : undefined))
      .orderBy(desc(matchCandidates.probability), matchCandidates.id)
      .limit(limit * 4);
    const counterpartIds = rows.map((row) =>
      report.kind === 'missing' ? row.foundCaseId : row.missingCaseId,
    );
    const counterparts = new Map(
      (counterpartIds.length
        ? await services.db.select().from(cases).where(inArray(cases.id, counterpartIds))
        : []
      ).map((row) => [row.id, row]),
    );
    const candidates: MatchCandidate[] = [];
    for (const row of rows) {
      const other = counterparts.get(report.kind === 'missing' ? row.foundCaseId : row.missingCaseId);
      if (other && mayRead(actor, other) && candidates.length < limit)
        candidates.push(toCandidate(row, other));
    }
    await appendAudit(services.db, audit(c, 'match.read', caseId, `${candidates.length} candidates shown`));
    return c.json({ caseId, thresholds, candidates }, 200);
  });

  app.openapi(confirmCandidateRoute, async (c) => {
    const { candidateId } = c.req.valid('param');
    const { note } = c.req.valid('json');
    const actor = c.get('actor');
    await candidateFor(actor, candidateId);
    const now = services.clock();
    const result = await services.db.transaction(async (tx) => {
      const row = await lockCandidate(tx, candidateId);
      if (row.status === 'confirmed')
        throw new ApiError('CANDIDATE_DECIDED', `candidate ${candidateId} is already confirmed`);
      const reports: CandidateDecision['reports'] = [];
      const digests: string[] = [];
      for (const caseId of [row.missingCaseId, row.foundCaseId]) {
        const [current] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('update');
        if (!current) throw new Error(`case ${caseId} of candidate ${candidateId} is gone`);
        const check = checkTransition(current.status, 'matched', note);
        if (!check.ok)
          throw new ApiError(check.code, `case ${caseId} cannot be confirmed as matched: ${check.message}`);
        const updated = await updateCase(tx, caseId, current.version, { status: 'matched', updatedAt: now });
        if (!updated) throw new Error(`case ${caseId} changed under its row lock`);
        await recordVersion(
          tx,
          updated,
          'transition',
          actor.userId,
          note ?? `match ${candidateId} confirmed`,
        );
        await appendAudit(
          tx,
          audit(c, `case.transition.${current.status}.matched`, caseId, note ?? `match ${candidateId}`),
        );
        reports.push({ caseId, status: updated.status, version: updated.version });
        digests.push(materialDigest(profileFromCase(updated)));
      }
      const [confirmed] = await tx
        .update(matchCandidates)
        .set({
          status: 'confirmed',
          reason: note ?? null,
          decidedBy: actor.userId,
          decidedAt: now,
          missingDigest: digests[0] ?? row.missingDigest,
          foundDigest: digests[1] ?? row.foundDigest,
          updatedAt: now,
        })
        .where(eq(matchCandidates.id, candidateId))
        .returning();
      await appendAudit(tx, { ...audit(c, 'match.confirm', candidateId, note), recordType: 'match' });
      if (!confirmed) throw new Error(`candidate ${candidateId} is gone`);
      return { candidate: decided(confirmed), reports };
    });
    // Both reports leave the pool: the matcher withdraws their other proposals.
    services.matching.notify(result.reports.map((report) => report.caseId));
    return c.json(result, 200);
  });

  app.openapi(rejectCandidateRoute, async (c) => {
    const { candidateId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const actor = c.get('actor');
    await candidateFor(actor, candidateId);
    const now = services.clock();
    const result = await services.db.transaction(async (tx) => {
      const row = await lockCandidate(tx, candidateId);
      if (row.status !== 'proposed')
        throw new ApiError('CANDIDATE_DECIDED', `candidate ${candidateId} is already ${row.status}`);
      const both = await tx
        .select()
        .from(cases)
        .where(or(eq(cases.id, row.missingCaseId), eq(cases.id, row.foundCaseId)));
      const digestOf = (caseId: string, fallback: string) => {
        const report = both.find((entry) => entry.id === caseId);
        return report ? materialDigest(profileFromCase(report)) : fallback;
      };
      // The digests the reports have now: the pair comes back only if one of them changes.
      const [rejected] = await tx
        .update(matchCandidates)
        .set({
          status: 'rejected',
          reason,
          decidedBy: actor.userId,
          decidedAt: now,
          missingDigest: digestOf(row.missingCaseId, row.missingDigest),
          foundDigest: digestOf(row.foundCaseId, row.foundDigest),
          updatedAt: now,
        })
        .where(eq(matchCandidates.id, candidateId))
        .returning();
      await appendAudit(tx, { ...audit(c, 'match.reject', candidateId, reason), recordType: 'match' });
      if (!rejected) throw new Error(`candidate ${candidateId} is gone`);
      return {
        candidate: decided(rejected),
        reports: both.map((report) => ({
          caseId: report.id,
          status: report.status,
          version: report.version,
        })),
      };
    });
    return c.json(result, 200);
  });
}

async function lockCandidate(
  tx: Pick<NodeServices['db'], 'select'>,
  candidateId: string,
): Promise<MatchCandidateRow> {
  const [row] = await tx
    .select()
    .from(matchCandidates)
    .where(eq(matchCandidates.id, candidateId))
    .for('update');
  if (!row) throw new ApiError('CANDIDATE_NOT_FOUND', `no match candidate ${candidateId}`);
  return row;
}
