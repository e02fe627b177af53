// Reading the case summaries received from other nodes, as officers list them: newest first, only
// those whose place (where the child was last seen or found) the reader reaches — the filter of
// permissions.ts turned into SQL over the summary's `place`.
import type { Database } from '@khoj/platform';
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { ForeignSummaryFilter } from '../access/permissions.ts';
import type * as schema from '../db/schema/index.ts';
import { type ForeignSummaryRow, foreignSummaries } from '../db/schema/index.ts';

type NodeDb = Database<typeof schema>;

export async function listForeignSummaries(
  db: Pick<NodeDb, 'select'>,
  filter: ForeignSummaryFilter,
  query: { origin?: string | undefined; limit: number },
): Promise<ForeignSummaryRow[]> {
  if ('none' in filter) return [];
  return db
    .select()
    .from(foreignSummaries)
    .where(and(query.origin ? eq(foreignSummaries.origin, query.origin) : undefined, placeWithin(filter)))
    .orderBy(desc(foreignSummaries.receivedAt), foreignSummaries.origin, foreignSummaries.caseId)
    .limit(query.limit);
}

/** The summaries placed where `filter` reaches; a place without a state never matches one. */
function placeWithin(filter: Exclude<ForeignSummaryFilter, { none: true }>): SQL | undefined {
  if ('all' in filter) return undefined;
  // A field name of this closed list, written into the statement (a parameter's type is unknown
  // to `->>`, which has a text and an integer form).
  const place = (field: 'country' | 'state' | 'district') =>
    sql`${foreignSummaries.summary} -> 'place' ->> ${sql.raw(`'${field}'`)}`;
  return and(
    sql`${place('country')} = ${filter.country}`,
    sql`${place('state')} = ${filter.state}`,
    'district' in filter ? sql`${place('district')} = ${filter.district}` : undefined,
  );
}
