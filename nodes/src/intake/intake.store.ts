// Queries for citizen intake: which police unit verifies a report, the submissions and their
// photos, the verification queue, and the public notices with their stable opaque ids.
import { randomBytes } from 'node:crypto';
import type { Database } from '@khoj/platform';
import { and, asc, desc, eq, getTableColumns, inArray, isNull, ne, type SQL, sql } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import {
  type CasePhotoRow,
  type CaseRow,
  casePhotos,
  cases,
  type IntakePhotoRow,
  type IntakeSubmissionRow,
  intakeNotices,
  intakePhotos,
  intakeSubmissions,
  type UnitRow,
  units,
} from '../db/schema/index.ts';

export type { NewCaseRow } from '../db/schema/index.ts';
export type NewIntakeSubmission = typeof intakeSubmissions.$inferInsert;
type NodeDb = Database<typeof schema>;
type Reader = Pick<NodeDb, 'select'>;
type Writer = Pick<NodeDb, 'insert' | 'update' | 'select'>;

/**
 * The active police station for `place`: one in its district (and state, when given), else one
 * in its state, else the node's first police station. Names are compared without case, as
 * citizens type them. Earliest registered wins a tie, so the choice is stable.
 */
export async function verifyingUnitFor(
  db: Reader,
  place: { country: string; state?: string | undefined; district: string },
): Promise<UnitRow | undefined> {
  // coalesce: a unit without a district or state compares as null, which DESC would put first.
  const inState = place.state
    ? sql`coalesce(${units.country} = ${place.country} and lower(${units.state}) = lower(${place.state}), false)`
    : undefined;
  const sameDistrict = sql`coalesce(${units.country} = ${place.country} and lower(${units.district}) = lower(${place.district}), false)${
    inState ? sql` and ${inState}` : sql``
  }`;
  const [unit] = await db
    .select()
    .from(units)
    .where(and(eq(units.type, 'police_station'), eq(units.active, true)))
    .orderBy(
      desc(sql`(${sameDistrict})`),
      // (ORDER BY a constant `false` is an error in PostgreSQL: leave the key out instead.)
      ...(inState ? [desc(sql`(${inState})`)] : []),
      asc(units.createdAt),
      asc(units.id),
    )
    .limit(1);
  return unit;
}

export async function insertSubmission(tx: Writer, row: NewIntakeSubmission): Promise<void> {
  await tx.insert(intakeSubmissions).values(row);
}

export async function insertPhoto(tx: Writer, row: typeof intakePhotos.$inferInsert): Promise<void> {
  await tx.insert(intakePhotos).values(row);
}

export async function findSubmission(db: Reader, caseId: string): Promise<IntakeSubmissionRow | undefined> {
  const [row] = await db.select().from(intakeSubmissions).where(eq(intakeSubmissions.caseId, caseId));
  return row;
}

export async function findPhoto(db: Reader, caseId: string): Promise<IntakePhotoRow | undefined> {
  const [row] = await db.select().from(intakePhotos).where(eq(intakePhotos.caseId, caseId));
  return row;
}

/** Records the officer's decision; only a pending submission can be decided. */
export async function decideSubmission(
  tx: Writer,
  caseId: string,
  decision: { decision: 'accepted' | 'rejected'; by: string; at: Date; reason: string | null },
): Promise<boolean> {
  const updated = await tx
    .update(intakeSubmissions)
    .set({
      decision: decision.decision,
      decidedBy: decision.by,
      decidedAt: decision.at,
      decisionReason: decision.reason,
    })
    .where(and(eq(intakeSubmissions.caseId, caseId), eq(intakeSubmissions.decision, 'pending')))
    .returning({ caseId: intakeSubmissions.caseId });
  return updated.length === 1;
}

/** Which cases a verifier reaches: their unit's, an area's, or all of the node's. */
export type QueueScope =
  | { unitId: string }
  | { country: string; state: string; district?: string | null | undefined }
  | { all: true };

export type QueueEntry = {
  submission: IntakeSubmissionRow;
  case: CaseRow;
  photo: Pick<IntakePhotoRow, 'mime' | 'sizeBytes' | 'sha256'> | null;
};

/** Undecided citizen reports within `scope` whose case is still open, oldest first. */
export async function listQueue(db: Reader, scope: QueueScope, limit: number): Promise<QueueEntry[]> {
  const rows = await db
    .select({
      submission: getTableColumns(intakeSubmissions),
      case: getTableColumns(cases),
      // Never the bytes: the queue lists, the photo route serves.
      photoMime: intakePhotos.mime,
      photoSize: intakePhotos.sizeBytes,
      photoSha256: intakePhotos.sha256,
    })
    .from(intakeSubmissions)
    .innerJoin(cases, eq(cases.id, intakeSubmissions.caseId))
    .leftJoin(intakePhotos, eq(intakePhotos.caseId, intakeSubmissions.caseId))
    .where(and(eq(intakeSubmissions.decision, 'pending'), ne(cases.status, 'closed'), inScope(scope)))
    .orderBy(asc(intakeSubmissions.submittedAt), asc(intakeSubmissions.caseId))
    .limit(limit);
  return rows.map((row) => ({
    submission: row.submission,
    case: row.case,
    photo:
      row.photoMime && row.photoSize !== null && row.photoSha256
        ? { mime: row.photoMime, sizeBytes: row.photoSize, sha256: row.photoSha256 }
        : null,
  }));
}

function inScope(scope: QueueScope): SQL | undefined {
  if ('all' in scope) return undefined;
  if ('unitId' in scope) return eq(cases.ownerUnitId, scope.unitId);
  return and(
    eq(cases.country, scope.country),
    eq(cases.state, scope.state),
    scope.district ? eq(cases.district, scope.district) : undefined,
  );
}

export type NoticeQuery = {
  q?: string | undefined;
  kind?: CaseRow['kind'] | undefined;
  district?: string | undefined;
  sex?: string | undefined;
  ageFrom?: number | undefined;
  ageTo?: number | undefined;
  limit: number;
};

const ageLow = sql`coalesce((${cases.child}->'age'->>'years')::int, (${cases.child}->'age'->>'estimateMin')::int)`;
const ageHigh = sql`coalesce((${cases.child}->'age'->>'years')::int, (${cases.child}->'age'->>'estimateMax')::int)`;
const firstName = sql`split_part(regexp_replace(btrim(${cases.child}->>'name'), ${'\\s+'}, ' ', 'g'), ' ', 1)`;

/**
 * Cases that may be shown publicly, and only those: the officer chose a public notice, the case
 * is verified and still open, and the child is neither rescued from trafficking nor in a CCI's
 * care (placed in one, or registered by one). Every condition is here, in one place.
 */
const PUBLISHABLE: SQL = and(
  eq(cases.publicNotice, true),
  eq(cases.verification, 'verified'),
  inArray(cases.status, ['open', 'under_review']),
  isNull(cases.placementUnitId),
  sql`coalesce((${cases.found}->>'rescuedFromTrafficking')::boolean, false) = false`,
  ne(units.type, 'cci'),
) as SQL;

export async function searchNotices(db: Reader, query: NoticeQuery) {
  const conditions: (SQL | undefined)[] = [PUBLISHABLE];
  if (query.q) {
    const prefix = `${query.q.normalize('NFC').replace(/[\\%_]/g, '\\$&')}%`;
    conditions.push(sql`${firstName} ilike ${prefix}`);
  }
  if (query.kind) conditions.push(eq(cases.kind, query.kind));
  if (query.district) conditions.push(sql`lower(${cases.district}) = lower(${query.district})`);
  if (query.sex) conditions.push(sql`${cases.child}->>'sex' = ${query.sex}`);
  if (query.ageFrom !== undefined) conditions.push(sql`${ageHigh} >= ${query.ageFrom}`);
  if (query.ageTo !== undefined) conditions.push(sql`${ageLow} <= ${query.ageTo}`);
  return db
    .select({
      caseId: cases.id,
      kind: cases.kind,
      child: cases.child,
      country: cases.country,
      state: cases.state,
      district: cases.district,
      eventDate: cases.eventDate,
      unitName: units.name,
      unitPhones: units.phones,
      hasPhoto: sql<boolean>`exists (select 1 from ${casePhotos} where ${casePhotos.caseId} = ${cases.id})`,
    })
    .from(cases)
    .innerJoin(units, eq(units.id, cases.ownerUnitId))
    .where(and(...conditions))
    .orderBy(desc(cases.eventDate), desc(cases.createdAt), desc(cases.id))
    .limit(query.limit);
}

/** The notice id of each case, made on first showing (concurrent searches agree on one). */
export async function noticeIdsFor(tx: Writer, caseIds: string[], now: Date): Promise<Map<string, string>> {
  if (caseIds.length === 0) return new Map();
  await tx
    .insert(intakeNotices)
    .values(caseIds.map((caseId) => ({ noticeId: newNoticeId(), caseId, createdAt: now })))
    .onConflictDoNothing({ target: intakeNotices.caseId });
  const rows = await tx
    .select({ caseId: intakeNotices.caseId, noticeId: intakeNotices.noticeId })
    .from(intakeNotices)
    .where(inArray(intakeNotices.caseId, caseIds));
  return new Map(rows.map((row) => [row.caseId, row.noticeId]));
}

/** 128 random bits: unlike prefixed record ids, no creation time in it. */
function newNoticeId(): string {
  return `notice_${BigInt(`0x${randomBytes(16).toString('hex')}`).toString(36)}`;
}

/**
 * The photo a notice shows: the case's most recent photo, and only while the case is still
 * publishable (a notice withdrawn since the search shows nothing). Sighting photos live in
 * another table and can never be reached from here.
 */
export async function noticePhoto(db: Reader, noticeId: string): Promise<CasePhotoRow | undefined> {
  const [row] = await db
    .select({ photo: getTableColumns(casePhotos) })
    .from(intakeNotices)
    .innerJoin(cases, eq(cases.id, intakeNotices.caseId))
    .innerJoin(units, eq(units.id, cases.ownerUnitId))
    .innerJoin(casePhotos, eq(casePhotos.caseId, cases.id))
    .where(and(eq(intakeNotices.noticeId, noticeId), PUBLISHABLE))
    .orderBy(desc(casePhotos.createdAt), desc(casePhotos.id))
    .limit(1);
  return row?.photo;
}
