// Queries over cases, their versions and progress entries.
import type { Database } from '@khoj/platform';
import { and, arrayContains, asc, desc, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { ReadFilter } from '../access/permissions.ts';
import type * as schema from '../db/schema/index.ts';
import { type CaseRow, caseProgress, cases, caseVersions, type NewCaseRow } from '../db/schema/index.ts';

type NodeDb = Database<typeof schema>;
type Executor = Pick<NodeDb, 'insert' | 'update' | 'select'>;

export async function insertCase(tx: Executor, row: NewCaseRow): Promise<CaseRow> {
  const [inserted] = await tx.insert(cases).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}

export async function findCase(db: Pick<NodeDb, 'select'>, id: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.id, id)).limit(1);
  return row;
}

/** Writes the next version only if nobody changed the case since `expectedVersion`. */
export async function updateCase(
  tx: Executor,
  id: string,
  expectedVersion: number,
  changes: Partial<NewCaseRow>,
): Promise<CaseRow | undefined> {
  const [row] = await tx
    .update(cases)
    .set({ ...changes, version: expectedVersion + 1 })
    .where(and(eq(cases.id, id), eq(cases.version, expectedVersion)))
    .returning();
  return row;
}

export async function recordVersion(
  tx: Executor,
  row: CaseRow,
  change: 'create' | 'update' | 'transition',
  by: string,
  reason: string | null,
): Promise<void> {
  await tx.insert(caseVersions).values({
    caseId: row.id,
    version: row.version,
    change,
    snapshot: JSON.parse(JSON.stringify(row)),
    changedBy: by,
    changedAt: row.updatedAt,
    reason,
  });
}

export async function listVersions(db: NodeDb, caseId: string) {
  return db
    .select()
    .from(caseVersions)
    .where(eq(caseVersions.caseId, caseId))
    .orderBy(asc(caseVersions.version));
}

export async function listProgress(db: NodeDb, caseId: string) {
  return db
    .select()
    .from(caseProgress)
    .where(eq(caseProgress.caseId, caseId))
    .orderBy(asc(caseProgress.date), asc(caseProgress.createdAt));
}

export type ListQuery = {
  kind?: 'missing' | 'found' | undefined;
  status?: CaseRow['status'] | undefined;
  district?: string | undefined;
  inCare?: boolean | undefined;
  term?: string | undefined;
  limit: number;
  after?: { createdAt: Date; id: string } | undefined;
};

/** Newest first, keyset-paginated, inside what the actor may read. */
export async function listCases(
  db: NodeDb,
  filter: ReadFilter,
  query: ListQuery,
  actorUnitId: string,
): Promise<CaseRow[]> {
  const conditions: (SQL | undefined)[] = [jurisdiction(filter, actorUnitId)];
  if (query.kind) conditions.push(eq(cases.kind, query.kind));
  if (query.status) conditions.push(eq(cases.status, query.status));
  if (query.district) conditions.push(eq(cases.district, query.district));
  if (query.inCare !== undefined) {
    conditions.push(query.inCare ? sql`${cases.placementUnitId} is not null` : isNull(cases.placementUnitId));
  }
  if (query.term) conditions.push(arrayContains(cases.searchTerms, [query.term.toLocaleLowerCase()]));
  if (query.after) {
    // A row comparison, so that the (created_at, id) ordering indexes serve the next page.
    conditions.push(
      sql`(${cases.createdAt}, ${cases.id}) < (${query.after.createdAt.toISOString()}::timestamptz, ${query.after.id})`,
    );
  }
  return db
    .select()
    .from(cases)
    .where(and(...conditions))
    .orderBy(desc(cases.createdAt), desc(cases.id))
    .limit(query.limit);
}

function jurisdiction(filter: ReadFilter, actorUnitId: string): SQL | undefined {
  if ('none' in filter) return sql`false`;
  if ('all' in filter) {
    return filter.excludeOthersInCare
      ? or(isNull(cases.placementUnitId), eq(cases.ownerUnitId, actorUnitId))
      : undefined;
  }
  if ('unitId' in filter)
    return or(eq(cases.ownerUnitId, filter.unitId), eq(cases.placementUnitId, filter.unitId));
  if ('district' in filter) {
    return and(
      eq(cases.country, filter.country),
      eq(cases.state, filter.state),
      eq(cases.district, filter.district),
    );
  }
  return and(eq(cases.country, filter.country), eq(cases.state, filter.state));
}
