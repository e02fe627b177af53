// The statistics queries. Everything is aggregated in SQL — a node may hold a million cases, and
// no case row ever reaches JavaScript: one pass over the cases in scope, one over the status
// changes (read from an index) of those that have any, and a lookup of CCI names. Runs the same
// on PGlite and PostgreSQL.
// `where` conditions name the table "cases" (drizzle qualifies columns with it), so the SQL
// below reads from cases under that name, never an alias.
import type { Database } from '@khoj/platform';
import { and, eq, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { cases, units } from '../db/schema/index.ts';
import type { StatsFilter } from './scope.ts';

type NodeDb = Database<typeof schema>;
type Reader = Pick<NodeDb, 'select'>;
type Executor = Pick<NodeDb, 'select' | 'execute'>;

/** Reports registered at or after `from` and before `until` (either may be open). */
export type Period = { from?: Date | undefined; until?: Date | undefined };

/** One row of the grouping-sets count: which grouping it belongs to, its keys, its count. */
export type CountRow = {
  grouping: 'status' | 'district' | 'month' | 'care';
  kind: 'missing' | 'found' | null;
  status: (typeof cases.status.enumValues)[number] | null;
  state: string | null;
  district: string | null;
  month: string | null;
  placementUnitId: string | null;
  count: number;
};

/** Per kind, over the reports in scope that reached a match or a reunion (their count is in CountRow). */
export type OutcomeRow = {
  kind: 'missing' | 'found';
  matched: number;
  reunited: number;
  /** Fractional days, not rounded. */
  medianDaysToMatch: number | null;
  medianDaysToReunion: number | null;
};

export function scopeCondition(filter: StatsFilter, period: Period): SQL | undefined {
  return and(
    filter.country ? eq(cases.country, filter.country) : undefined,
    filter.state ? eq(cases.state, filter.state) : undefined,
    filter.district ? eq(cases.district, filter.district) : undefined,
    filter.unitId
      ? or(eq(cases.ownerUnitId, filter.unitId), eq(cases.placementUnitId, filter.unitId))
      : undefined,
    period.from ? gte(cases.createdAt, period.from) : undefined,
    period.until ? lt(cases.createdAt, period.until) : undefined,
  );
}

/** Calendar month of registration in UTC; the same expression must appear in GROUP BY. */
const month = sql<string>`to_char(${cases.createdAt} at time zone 'UTC', 'YYYY-MM')`;

/**
 * Every count in one scan, with GROUPING SETS: kind × status, district × kind, month × kind, and
 * CCI × status. `grouping(x) = 0` means x is a key of the row's set, which names the set. The
 * CCI set also yields one row for cases without a placement; the caller drops it.
 */
export async function countCases(db: Reader, where: SQL | undefined): Promise<CountRow[]> {
  return db
    .select({
      grouping: sql<CountRow['grouping']>`case
        when grouping(${cases.placementUnitId}) = 0 then 'care'
        when grouping(${month}) = 0 then 'month'
        when grouping(${cases.district}) = 0 then 'district'
        else 'status' end`,
      kind: cases.kind,
      status: cases.status,
      state: cases.state,
      district: cases.district,
      month,
      placementUnitId: cases.placementUnitId,
      count: sql<number>`count(*)::int`,
    })
    .from(cases)
    .where(where)
    .groupBy(
      sql`grouping sets (
        (${cases.kind}, ${cases.status}),
        (${cases.state}, ${cases.district}, ${cases.kind}),
        (${month}, ${cases.kind}),
        (${cases.placementUnitId}, ${cases.status}))`,
    );
}

/**
 * Per kind: how many reports were matched and reunited, and the median days to each. Status
 * changes come from the transition versions: a match stands unless the next transition took the
 * case back to open (the match fell through); the latest standing match counts, so a search that
 * needed a second match is timed to it. Reunion is final once reached (it may only be closed).
 *
 * Reads the transitions from the case_versions_transitions index (case, version, status, time),
 * never the snapshots, and only the cases that have some: the number of reports per kind comes
 * from countCases, so no pass over every case in scope is needed here, nor a sort of them all
 * for the medians. Written as SQL because drizzle cannot express the window over a CTE.
 */
export async function caseOutcomes(db: Executor, where: SQL | undefined): Promise<OutcomeRow[]> {
  const days = (at: SQL) => sql`extract(epoch from (${at} - cases.created_at))::float8 / 86400`;
  // A narrow scope (a district, a month) picks its cases first and looks up their transitions;
  // the whole node reads every transition, which is cheaper than listing every case first.
  const inScope = where ? sql`and case_id in (select id from ${cases} where ${where})` : sql``;
  const result = await db.execute(sql`
    with steps as (
      select case_id, changed_at, status,
        lead(status) over (partition by case_id order by version) as next_status
      from case_versions
      where change = 'transition' ${inScope}
    ),
    milestones as (
      select case_id,
        max(changed_at) filter (where status = 'matched' and next_status is distinct from 'open') as matched_at,
        min(changed_at) filter (where status = 'reunited') as reunited_at
      from steps
      group by case_id
    )
    select cases.kind,
      count(milestones.matched_at)::int as matched,
      count(milestones.reunited_at)::int as reunited,
      percentile_cont(0.5) within group (order by ${days(sql`milestones.matched_at`)}) as "medianDaysToMatch",
      percentile_cont(0.5) within group (order by ${days(sql`milestones.reunited_at`)}) as "medianDaysToReunion"
    from milestones join ${cases} on cases.id = milestones.case_id
    where ${where ?? sql`true`}
    group by cases.kind`);
  // postgres-js answers with the rows, PGlite with { rows }.
  return (Array.isArray(result) ? result : (result as { rows: OutcomeRow[] }).rows) as OutcomeRow[];
}

export async function unitNames(db: Reader, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: units.id, name: units.name }).from(units).where(inArray(units.id, ids));
  return new Map(rows.map((row) => [row.id, row.name]));
}
