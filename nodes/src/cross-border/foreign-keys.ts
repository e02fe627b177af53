// Blocking over the summaries held from other nodes: their keys (the very keys such a summary is
// matched with on arrival, matching/probe.ts, so the two ways of finding a pair agree) are stored
// in foreign_summary_keys when a summary is applied, and a local report is blocked against them
// through the (rule, key, side, birth) index, capped per key like the local matcher.
import type { CaseSummary } from '@khoj/contracts';
import { and, eq, sql } from 'drizzle-orm';
import { foreignSummaryKeys } from '../db/schema/index.ts';
import type { ApplyTx } from '../exchange/handlers.ts';
import type { BlockingKey } from '../matching/keys.ts';
import { type BlockingCaps, DEFAULT_CAPS, rowsOf } from '../matching/matching.store.ts';
import { probeBlockingKeys } from '../matching/probe.ts';
import type { MatchSide } from '../matching/profile.ts';
import { profileFromSummary } from './match-summary.ts';

type Executor = Pick<ApplyTx, 'delete' | 'execute'>;

/** Replaces the blocking keys of a held summary (the newer version it was just replaced with). */
export async function keyForeignSummary(tx: Executor, origin: string, summary: CaseSummary): Promise<void> {
  await tx
    .delete(foreignSummaryKeys)
    .where(and(eq(foreignSummaryKeys.origin, origin), eq(foreignSummaryKeys.caseId, summary.caseId)));
  const { birth, keys } = probeBlockingKeys(profileFromSummary({ summary }));
  if (keys.length === 0) return;
  const rows = keys.map(({ rule, key }) => ({ rule, key }));
  await tx.execute(sql`
    insert into foreign_summary_keys (origin, case_id, side, rule, key, birth)
    select ${origin}, ${summary.caseId}, ${summary.kind}, rule, key, ${birth}::int
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as k(rule text, key text)
    on conflict do nothing`);
}

/** A local report about to be blocked against the held summaries: its own stored keys. */
export type LocalProbe = { caseId: string; side: MatchSide; birth: number; keys: readonly BlockingKey[] };

/** A local report and a held summary that share a key, or already form an open candidate. */
export type ForeignPair = { localCaseId: string; origin: string; caseId: string };

/**
 * The held summaries of the other side sharing a key with each report, in one query: every key
 * read outward from the report's estimated birth and capped each way, so a common name brings its
 * nearest ages and no more, however many summaries are held. The summaries of the reports' open
 * found_here candidates come too, so a candidate is scored again (and closed when it fell short)
 * rather than left as it was.
 */
export async function blockForeignSummaries(
  db: Pick<ApplyTx, 'execute'>,
  probes: readonly LocalProbe[],
  caps: BlockingCaps = DEFAULT_CAPS,
): Promise<ForeignPair[]> {
  if (probes.length === 0) return [];
  const keys = probes.flatMap((probe) =>
    probe.keys.map((key) => ({
      case_id: probe.caseId,
      rule: key.rule,
      key: key.key,
      birth: probe.birth,
      other: probe.side === 'missing' ? 'found' : 'missing',
      each_way: key.rule === 'area' ? caps.areaEachWay : caps.perKeyEachWay,
    })),
  );
  const ids = probes.map((probe) => probe.caseId);
  return rowsOf<ForeignPair>(
    await db.execute(sql`
      with probe as materialized (
        select * from jsonb_to_recordset(${JSON.stringify(keys)}::jsonb)
          as p(case_id text, rule text, key text, birth int, other text, each_way int)
      )
      select p.case_id as "localCaseId", f.origin, f.case_id as "caseId"
      from probe p
      cross join lateral (
        (select k.origin, k.case_id from foreign_summary_keys k
          where k.rule = p.rule and k.key = p.key and k.side = p.other and k.birth >= p.birth
          order by k.birth, k.origin, k.case_id limit p.each_way)
        union all
        (select k.origin, k.case_id from foreign_summary_keys k
          where k.rule = p.rule and k.key = p.key and k.side = p.other and k.birth < p.birth
          order by k.birth desc, k.origin desc, k.case_id desc limit p.each_way)
      ) f
      union
      select c.local_case_id, c.foreign_origin, c.foreign_reference from cross_border_candidates c
      where c.role = 'found_here' and c.status = 'proposed'
        and c.local_case_id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`),
  );
}
