// The two-sided workflow on a cross-border match once it is proposed. Each side decides on its own
// candidate and tells the other with a `match.notice` event about the same pair (the origin's case
// id and the noticing node's reference): `confirmed` (the match is confirmed once both sides have,
// and each side's case then moves to `matched`), `rejected` (closes both), `withdrawn` (the
// noticing node no longer proposes it) and `progress` (a repatriation step on a confirmed match,
// which becomes progress of the case on both nodes, marked there as coming from the peer).
// Sending writes the outbox row in the caller's transaction; receiving applies in the inbox's.
import type { Envelope, MatchNotice, RepatriationEntry } from '@khoj/contracts';
import { currentTraceparent, newId } from '@khoj/platform';
import { eq, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import { checkTransition } from '../cases/lifecycle.ts';
import { recordVersion, updateCase } from '../cases/reports.store.ts';
import {
  type CrossBorderCandidateRow,
  caseProgress,
  cases,
  crossBorderCandidates,
} from '../db/schema/index.ts';
import type { ApplyTx } from '../exchange/handlers.ts';
import { enqueueEnvelope } from '../exchange/outbox.store.ts';
import { EnvelopeRejected, sealEnvelope } from '../exchange/seal.ts';
import type { NodeServices } from '../services.ts';
import { candidateForPeer } from './cross-border.store.ts';

/** How long a workflow notice may wait at the hub to be collected. */
const NOTICE_LIFETIME_MS = 30 * 24 * 3_600_000;

export type MatchEvent = Exclude<MatchNotice, { event: 'proposed' }>;

/**
 * Seals `notice` to the candidate's peer and writes it to the outbox under the candidate's id (so
 * a candidate's notices are relayed in order). Returns null when the peer has left the federation.
 */
export async function sendMatchEvent(
  tx: ApplyTx,
  services: NodeServices,
  row: CrossBorderCandidateRow,
  notice: MatchEvent,
): Promise<Envelope | null> {
  const [to] = await services.directory.resolveRecipients([row.foreignOrigin], services.identity.nodeId, tx);
  if (!to) return null;
  const [counted] = await tx
    .update(crossBorderCandidates)
    .set({ noticesSent: sql`${crossBorderCandidates.noticesSent} + 1` })
    .where(eq(crossBorderCandidates.id, row.id))
    .returning({ noticesSent: crossBorderCandidates.noticesSent });
  const now = services.clock();
  const envelope = await sealEnvelope({
    type: 'match.notice',
    origin: services.identity.nodeId,
    // Apart from the `proposed` notices (subject: the candidate id, version: the summary's), so
    // that each event has an id of its own.
    subject: `${row.id}:workflow`,
    version: counted?.noticesSent ?? 1,
    body: notice,
    recipients: [to],
    purposes: ['reunification'],
    expiresAt: new Date(now.getTime() + NOTICE_LIFETIME_MS),
    signingKey: services.keys.signing,
    now,
  });
  await enqueueEnvelope(tx, envelope, row.id, currentTraceparent());
  return envelope;
}

/**
 * Moves a case to `matched` for a cross-border match confirmed by both sides, with its version and
 * audit entry; a case already matched, or one the lifecycle does not let move (closed, reunited),
 * is left as it is. Returns whether the case changed.
 */
export async function markMatched(
  tx: ApplyTx,
  caseId: string,
  actorId: string,
  reason: string,
  now: Date,
): Promise<boolean> {
  const [current] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('update');
  if (!current || current.status === 'matched') return false;
  if (!checkTransition(current.status, 'matched', reason).ok) return false;
  const updated = await updateCase(tx, caseId, current.version, { status: 'matched', updatedAt: now });
  if (!updated) throw new Error(`case ${caseId} changed under its row lock`);
  await recordVersion(tx, updated, 'transition', actorId, reason);
  await appendAudit(tx, {
    actorId,
    action: `case.transition.${current.status}.matched`,
    recordType: 'case',
    recordId: caseId,
    reason,
    at: now,
  });
  return true;
}

/** Adds a repatriation step to the candidate and to its case's progress. */
export async function addRepatriationStep(
  tx: ApplyTx,
  row: CrossBorderCandidateRow,
  entry: RepatriationEntry,
  author: { authorId: string; unitId: string },
  self: string,
): Promise<CrossBorderCandidateRow> {
  const from = entry.recordedBy === self ? '' : ` (recorded at ${entry.recordedBy})`;
  await tx.insert(caseProgress).values({
    id: newId('prog'),
    caseId: row.localCaseId,
    type: 'repatriation',
    date: entry.date,
    note: `${entry.step}${from}: ${entry.note}`,
    ...author,
    createdAt: new Date(entry.recordedAt),
  });
  const [updated] = await tx
    .update(crossBorderCandidates)
    .set({
      repatriation: sql`${crossBorderCandidates.repatriation} || ${JSON.stringify([entry])}::jsonb`,
      updatedAt: new Date(entry.recordedAt),
    })
    .where(eq(crossBorderCandidates.id, row.id))
    .returning();
  if (!updated) throw new Error(`candidate ${row.id} is gone`);
  return updated;
}

/**
 * Applies a peer's workflow notice to the candidate it names; returns the local cases moved to
 * `matched` (for the matcher). Refuses a pair this node has no candidate for, a confirmation of a
 * closed candidate, a withdrawal from the origin's side and progress before both confirmed.
 */
export async function applyMatchEvent(
  tx: ApplyTx,
  services: NodeServices,
  envelope: Envelope,
  notice: MatchEvent,
): Promise<string[]> {
  const peer = envelope.origin;
  const row = await candidateForPeer(tx, peer, notice);
  const now = services.clock();
  const audit = (action: string, reason: string) =>
    appendAudit(tx, {
      actorId: `node:${peer}`,
      action,
      recordType: 'case',
      recordId: row.localCaseId,
      reason: `${row.id}: ${reason}`.slice(0, 2000),
      at: now,
    });
  const close = async (closedReason: string) => {
    await tx
      .update(crossBorderCandidates)
      .set({ status: 'closed', closedReason: closedReason.slice(0, 1000), updatedAt: now })
      .where(eq(crossBorderCandidates.id, row.id));
  };
  switch (notice.event) {
    case 'confirmed': {
      if (row.status === 'closed')
        throw new EnvelopeRejected(
          'ERR_CANDIDATE_CLOSED',
          `candidate ${row.id} is closed (${row.closedReason})`,
        );
      const both = row.confirmedHereAt !== null;
      await tx
        .update(crossBorderCandidates)
        .set({
          confirmedThereAt: new Date(notice.at),
          status: both ? 'confirmed' : row.status,
          updatedAt: now,
        })
        .where(eq(crossBorderCandidates.id, row.id));
      await audit(
        'match.cross_border.confirmed_there',
        `confirmed at ${peer}${both ? '; confirmed by both sides' : ''}${notice.note ? `: ${notice.note}` : ''}`,
      );
      if (!both) return [];
      const moved = await markMatched(
        tx,
        row.localCaseId,
        `node:${peer}`,
        `cross-border match ${row.id} with ${peer} confirmed by both sides`,
        now,
      );
      return moved ? [row.localCaseId] : [];
    }
    case 'rejected':
      if (row.status === 'closed') {
        await audit(
          'match.cross_border.rejected_there',
          `rejected at ${peer} (already closed): ${notice.reason}`,
        );
        return [];
      }
      await close(`rejected at ${peer}: ${notice.reason}`);
      await audit('match.cross_border.rejected_there', `rejected at ${peer}: ${notice.reason}`);
      return [];
    case 'withdrawn':
      // Only the node that proposed the match may withdraw it.
      if (row.role !== 'notified')
        throw new EnvelopeRejected('ERR_NOT_AUTHORISED', `${peer} did not propose candidate ${row.id}`);
      if (row.status !== 'closed') await close(`withdrawn by ${peer}: ${notice.reason}`);
      await audit('match.cross_border.withdrawn', `withdrawn by ${peer}: ${notice.reason}`);
      return [];
    case 'progress': {
      if (row.status !== 'confirmed')
        throw new EnvelopeRejected(
          'ERR_NOT_CONFIRMED',
          `candidate ${row.id} is ${row.status === 'closed' ? 'closed' : 'not confirmed by both sides'}`,
        );
      const entry: RepatriationEntry = {
        step: notice.step,
        date: notice.date,
        note: notice.note,
        recordedBy: peer,
        recordedAt: notice.at,
      };
      await addRepatriationStep(
        tx,
        row,
        entry,
        { authorId: `node:${peer}`, unitId: `node:${peer}` },
        services.identity.nodeId,
      );
      await audit('case.progress.repatriation', `${notice.step} on ${notice.date}, recorded at ${peer}`);
      return [];
    }
  }
}
