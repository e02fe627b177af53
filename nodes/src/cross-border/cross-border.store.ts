// Queries over cross-border candidates: proposing (insert or refresh a pair), closing those of a
// foreign case (retracted, or no longer reaching the review threshold), listing a report's, and
// finding the one a peer means by a match pair (the origin's case id and the noticing node's
// reference), refusing with a stable code what the peer may not name.
import { newId } from '@khoj/platform';
import { and, desc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { type CrossBorderCandidateRow, crossBorderCandidates } from '../db/schema/index.ts';
import type { ApplyTx } from '../exchange/handlers.ts';
import { EnvelopeRejected } from '../exchange/seal.ts';

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

/**
 * Inserts the pair, or refreshes its score; returns the row (its id is stable). An open pair keeps
 * the decisions taken on it; a closed one reopens (decisions cleared) only for a newer version of
 * the foreign case, so a rejection is not undone by the same summary matched again; a pair both
 * sides confirmed is left as it is.
 */
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
        confirmedHereAt: sql`case when ${crossBorderCandidates.status} = 'closed' then null else ${crossBorderCandidates.confirmedHereAt} end`,
        confirmedHereBy: sql`case when ${crossBorderCandidates.status} = 'closed' then null else ${crossBorderCandidates.confirmedHereBy} end`,
        confirmedHereNote: sql`case when ${crossBorderCandidates.status} = 'closed' then null else ${crossBorderCandidates.confirmedHereNote} end`,
        confirmedThereAt: sql`case when ${crossBorderCandidates.status} = 'closed' then null else ${crossBorderCandidates.confirmedThereAt} end`,
        updatedAt: now,
      },
      setWhere: sql`${crossBorderCandidates.status} = 'proposed' or (${crossBorderCandidates.status} = 'closed' and ${crossBorderCandidates.foreignVersion} < excluded.foreign_version)`,
    })
    .returning();
  if (row) return row;
  // Left as it was (confirmed, or closed at this version).
  const [kept] = await tx
    .select()
    .from(crossBorderCandidates)
    .where(
      and(
        eq(crossBorderCandidates.role, pair.role),
        eq(crossBorderCandidates.localCaseId, pair.localCaseId),
        eq(crossBorderCandidates.foreignOrigin, pair.foreignOrigin),
        eq(crossBorderCandidates.foreignReference, pair.foreignReference),
      ),
    );
  if (!kept) throw new Error('upsert returned no row');
  return kept;
}

export async function setNotice(tx: Executor, candidateId: string, envelopeId: string): Promise<void> {
  await tx
    .update(crossBorderCandidates)
    .set({ noticeEnvelopeId: envelopeId })
    .where(eq(crossBorderCandidates.id, candidateId));
}

/**
 * Closes the open candidates this node found for a foreign case (role found_here), except those
 * for the local reports in `keep`; returns the ids closed. `undecided`: only those neither side
 * has confirmed (a score falling below the threshold does not undo an officer's decision);
 * `all`: every open one, confirmed or not (the origin retracted the case).
 */
export async function closeFoundHere(
  tx: Executor,
  origin: string,
  foreignCaseId: string,
  reason: string,
  now: Date,
  keep: readonly string[] = [],
  which: 'undecided' | 'all' = 'undecided',
): Promise<string[]> {
  const closed = await tx
    .update(crossBorderCandidates)
    .set({ status: 'closed', closedReason: reason, updatedAt: now })
    .where(
      and(
        eq(crossBorderCandidates.role, 'found_here'),
        eq(crossBorderCandidates.foreignOrigin, origin),
        eq(crossBorderCandidates.foreignReference, foreignCaseId),
        which === 'all'
          ? inArray(crossBorderCandidates.status, ['proposed', 'confirmed'])
          : and(
              eq(crossBorderCandidates.status, 'proposed'),
              isNull(crossBorderCandidates.confirmedHereAt),
              isNull(crossBorderCandidates.confirmedThereAt),
            ),
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

/** The pair both nodes name a match by (see MatchNotice in contracts). */
export type MatchPair = { caseId: string; reference: string };

/** The pair of a candidate of this node, as its peer knows it. */
export function pairOf(row: CrossBorderCandidateRow): MatchPair {
  return row.role === 'found_here'
    ? { caseId: row.foreignReference, reference: row.id }
    : { caseId: row.localCaseId, reference: row.foreignReference };
}

export async function findCandidate(
  db: Pick<ApplyTx, 'select'>,
  candidateId: string,
  lock = false,
): Promise<CrossBorderCandidateRow | undefined> {
  const query = db.select().from(crossBorderCandidates).where(eq(crossBorderCandidates.id, candidateId));
  const [row] = lock ? await query.for('update') : await query;
  return row;
}

/**
 * The candidate `peer` means by `pair`, locked: this node's found_here candidate (this node noticed,
 * the peer is the origin of the case) or its notified one (the peer noticed). Refuses a pair this
 * node has no candidate for (ERR_SUBJECT_UNKNOWN) and one whose candidate links another node or
 * another case (ERR_NOT_AUTHORISED): a node can only speak about the matches it is party to.
 */
export async function candidateForPeer(
  tx: Pick<ApplyTx, 'select'>,
  peer: string,
  pair: MatchPair,
): Promise<CrossBorderCandidateRow> {
  const noticedHere = await findCandidate(tx, pair.reference, true);
  if (noticedHere) {
    if (
      noticedHere.role !== 'found_here' ||
      noticedHere.foreignOrigin !== peer ||
      noticedHere.foreignReference !== pair.caseId
    )
      throw new EnvelopeRejected(
        'ERR_NOT_AUTHORISED',
        `candidate ${pair.reference} does not link ${peer}'s case ${pair.caseId}`,
      );
    return noticedHere;
  }
  const notified = await tx
    .select()
    .from(crossBorderCandidates)
    .where(
      and(
        eq(crossBorderCandidates.role, 'notified'),
        eq(crossBorderCandidates.foreignReference, pair.reference),
      ),
    )
    .for('update');
  if (notified.length === 0)
    throw new EnvelopeRejected('ERR_SUBJECT_UNKNOWN', `no cross-border candidate ${pair.reference} here`);
  const mine = notified.find((row) => row.foreignOrigin === peer && row.localCaseId === pair.caseId);
  if (!mine)
    throw new EnvelopeRejected(
      'ERR_NOT_AUTHORISED',
      `the candidate with reference ${pair.reference} does not link ${peer} and case ${pair.caseId}`,
    );
  return mine;
}
