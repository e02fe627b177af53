// Queries over cases, their versions, their search terms and progress entries.
import type { Database } from '@khoj/platform';
import { and, asc, desc, eq, getTableColumns, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { ReadFilter } from '../access/permissions.ts';
import type * as schema from '../db/schema/index.ts';
import {
  type CaseRow,
  caseProgress,
  cases,
  caseTerms,
  caseVersions,
  type NewCaseRow,
} from '../db/schema/index.ts';

type NodeDb = Database<typeof schema>;
type Executor = Pick<NodeDb, 'insert' | 'update' | 'select' | 'execute'>;

/** Stores a new case and its search terms; call it inside the transaction that records its version. */
export async function insertCase(tx: Executor, row: NewCaseRow): Promise<CaseRow> {
  const [inserted] = await tx.insert(cases).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  await addTerms(tx, inserted.id);
  return inserted;
}

export async function findCase(db: Pick<NodeDb, 'select'>, id: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.id, id)).limit(1);
  return row;
}

/**
 * Writes the next version only if nobody changed the case since `expectedVersion`. A change to
 * what case_terms copies (search terms, creation time, district) first locks the row at that
 * version and drops its terms, then writes the new ones, in the caller's transaction.
 */
export async function updateCase(
  tx: Executor,
  id: string,
  expectedVersion: number,
  changes: Partial<NewCaseRow>,
): Promise<CaseRow | undefined> {
  const where = and(eq(cases.id, id), eq(cases.version, expectedVersion));
  const touchesTerms =
    changes.searchTerms !== undefined || changes.createdAt !== undefined || changes.district !== undefined;
  if (touchesTerms) {
    const [locked] = await tx.select({ id: cases.id }).from(cases).where(where).for('update');
    if (!locked) return undefined;
    await tx.execute(sql`
      delete from ${caseTerms} where (term, created_at, case_id) in (
        select term, cases.created_at, cases.id from ${cases}, unnest(cases.search_terms) as term
        where cases.id = ${id})`);
  }
  const [row] = await tx
    .update(cases)
    .set({ ...changes, version: expectedVersion + 1 })
    .where(where)
    .returning();
  if (row && touchesTerms) await addTerms(tx, id);
  return row;
}

/** Copies a case's search terms, as stored, into case_terms. */
async function addTerms(tx: Executor, id: string): Promise<void> {
  await tx.execute(sql`
    insert into ${caseTerms} (term, created_at, case_id, district)
    select distinct term, cases.created_at, cases.id, coalesce(cases.district, '')
    from ${cases}, unnest(cases.search_terms) as term
    where cases.id = ${id}
    on conflict do nothing`);
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

/**
 * SQL for the snapshot recordVersion stores, built from the row `alias` names (a case row in the
 * statement): the same keys and JSON values as JSON.stringify of the CaseRow drizzle returns,
 * timestamps as toISOString writes them. Made from the table's columns, so a new column is in
 * both. Used by the import, which stores a batch's versions without the rows coming back.
 */
export function caseSnapshotSql(alias: string): SQL {
  const members = Object.entries(getTableColumns(cases)).map(([key, column]) => {
    const value = sql`${sql.identifier(alias)}.${sql.identifier(column.name)}`;
    const json = column.getSQLType().startsWith('timestamp')
      ? sql`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : value;
    // The key is a property name of the schema, written as a literal rather than a parameter.
    return sql`${sql.raw(`'${key.replaceAll("'", "''")}'`)}, ${json}`;
  });
  // jsonb_build_object takes at most 100 arguments: 50 members per call, joined with ||.
  const parts: SQL[] = [];
  for (let i = 0; i < members.length; i += 50) {
    parts.push(sql`jsonb_build_object(${sql.join(members.slice(i, i + 50), sql`, `)})`);
  }
  return sql.join(parts, sql` || `);
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

/**
 * Newest first, keyset-paginated, inside what the actor may read. A word search walks the word's
 * case_terms entries newest first and joins each to its case, so it stops once the page is full
 * however many cases share the word; other lists walk the (district or created_at) index.
 */
export async function listCases(
  db: NodeDb,
  filter: ReadFilter,
  query: ListQuery,
  actorUnitId: string,
): Promise<CaseRow[]> {
  const conditions: (SQL | undefined)[] = [];
  if (query.kind) conditions.push(eq(cases.kind, query.kind));
  if (query.status) conditions.push(eq(cases.status, query.status));
  if (query.inCare !== undefined) {
    conditions.push(query.inCare ? sql`${cases.placementUnitId} is not null` : isNull(cases.placementUnitId));
  }
  // Row comparisons, so that the (…, created_at, id) ordering indexes serve the next page.
  const after = (createdAt: AnyPgColumn, id: AnyPgColumn) =>
    query.after
      ? sql`(${createdAt}, ${id}) < (${query.after.createdAt.toISOString()}::timestamptz, ${query.after.id})`
      : undefined;
  if (!query.term) {
    const district = query.district ? eq(cases.district, query.district) : undefined;
    return db
      .select()
      .from(cases)
      .where(
        and(jurisdiction(filter, actorUnitId), ...conditions, district, after(cases.createdAt, cases.id)),
      )
      .orderBy(desc(cases.createdAt), desc(cases.id))
      .limit(query.limit);
  }
  // Districts are matched on case_terms' copy (the writers keep it equal to the case's), so the
  // index skips other districts' cases; the rest of the conditions are on cases. Matched on both,
  // the planner would count the district twice, expect ten times fewer rows than there are and
  // start parallel workers, which take longer to start than the whole query.
  return (
    db
      .select(getTableColumns(cases))
      .from(caseTerms)
      // On the id alone: with created_at as well the planner takes the two equalities as
      // independent, expects almost no rows and sorts every match instead of walking the index.
      .innerJoin(cases, eq(cases.id, caseTerms.caseId))
      .where(
        and(
          eq(caseTerms.term, query.term.toLocaleLowerCase()),
          jurisdiction(filter, actorUnitId, caseTerms.district),
          query.district ? eq(caseTerms.district, query.district) : undefined,
          ...conditions,
          after(caseTerms.createdAt, caseTerms.caseId),
        ),
      )
      .orderBy(desc(caseTerms.createdAt), desc(caseTerms.caseId))
      .limit(query.limit)
  );
}

/** The cases `filter` lets the actor read; `district` names the column holding the case's district. */
function jurisdiction(
  filter: ReadFilter,
  actorUnitId: string,
  district: AnyPgColumn = cases.district,
): SQL | undefined {
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
      eq(district, filter.district),
    );
  }
  return and(eq(cases.country, filter.country), eq(cases.state, filter.state));
}
