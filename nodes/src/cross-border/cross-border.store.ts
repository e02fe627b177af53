// Queries over cross-border candidates: proposing (insert or refresh a pair), closing those of a
// foreign case (retracted, or no longer reaching the review threshold) and listing a report's.
import { newId } from '@khoj/platform';
import { and, desc, eq, inArray, notInArray } from 'drizzle-orm';
import { type CrossBorderCandidateRow, crossBorderCandidates } from '../db/schema/index.ts';
import type { ApplyTx } from '../exchange/handlers.ts';

type Executor = Pick<ApplyTx, 'select' | 'insert' | 'update'>;

export type ProposedPair = {
  role: CrossBorderCandidateRow['role'];
  localCaseId: string;
  foreignOrigin: string;
  foreignReference: string;
  foreignVersion: number;
  probability: number;
  band: CrossBorderCandidateRow['band'];
  explanation: unknown[];
};

/** Inserts the pair, or refreshes its score and reopens it; returns the row (its id is stable). */
export async function proposePair(
  tx: Executor,
  pair: ProposedPair,
  now: Date,
): Promise<CrossBorderCandidateRow> {
  const [row] = await tx
    .insert(crossBorderCandidates)
    .values({ id: newId('xmatch'), ...pair, status: 'proposed', createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [
        crossBorderCandidates.role,
        crossBorderCandidates.localCaseId,
        crossBorderCandidates.foreignOrigin,
        crossBorderCandidates.foreignReference,
      ],
      set: {
        foreignVersion: pair.foreignVersion,
        probability: pair.probability,
        band: pair.band,
        explanation: pair.explanation,
        status: 'proposed',
        closedReason: null,
        updatedAt: now,
      },
    })
    .returning();
  if (!row) throw new Error('upsert returned no row');
  return row;
}

export async function setNotice(tx: Executor, candidateId: string, envelopeId: string): Promise<void> {
  await tx
    .update(crossBorderCandidates)
    .set({ noticeEnvelopeId: envelopeId })
    .where(eq(crossBorderCandidates.id, candidateId));
}

/**
 * Closes the open candidates this node found for a foreign case (role found_here), except those
 * for the local reports in `keep`; returns the ids closed.
 */
export async function closeFoundHere(
  tx: Executor,
  origin: string,
  foreignCaseId: string,
  reason: string,
  now: Date,
  keep: readonly string[] = [],
): Promise<string[]> {
  const closed = await tx
    .update(crossBorderCandidates)
    .set({ status: 'closed', closedReason: reason, updatedAt: now })
    .where(
      and(
        eq(crossBorderCandidates.role, 'found_here'),
        eq(crossBorderCandidates.foreignOrigin, origin),
        eq(crossBorderCandidates.foreignReference, foreignCaseId),
        eq(crossBorderCandidates.status, 'proposed'),
        keep.length > 0 ? notInArray(crossBorderCandidates.localCaseId, [...keep]) : undefined,
      ),
    )
    .returning({ id: crossBorderCandidates.id });
  return closed.map((row) => row.id);
}

export async function candidatesForCase(
  db: Pick<ApplyTx, 'select'>,
  caseId: string,
  statuses: readonly CrossBorderCandidateRow['status'][],
): Promise<CrossBorderCandidateRow[]> {
  return db
    .select()
    .from(crossBorderCandidates)
    .where(
      and(
        eq(crossBorderCandidates.localCaseId, caseId),
        inArray(crossBorderCandidates.status, [...statuses]),
      ),
    )
    .orderBy(desc(crossBorderCandidates.probability), crossBorderCandidates.id);
}
