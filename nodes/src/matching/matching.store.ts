// The matcher's queries: its derived rows (keys and profiles), blocking inside the database, the
// candidates with their decisions, term frequencies and stored model parameters. Runs the same on
// PGlite and PostgreSQL.
import type { Database } from '@khoj/platform';
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { matchCandidates, matchParameters } from '../db/schema/index.ts';
import type { ProfileKeys } from './keys.ts';
import type { MatchProfile, MatchSide } from './profile.ts';

type NodeDb = Database<typeof schema>;
export type MatchExecutor = Pick<NodeDb, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;

/** Rows per statement when writing derived rows (one JSON parameter each). */
const WRITE_CHUNK = 5_000;

/** postgres-js answers execute() with the rows, PGlite with { rows }. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * `= any(<one text[] parameter>)`, however many ids: the planner reads each id through its index
 * (a subquery over a JSON array would be planned blind, and scanned a million rows at 1 M cases).
 */
const idsIn = (values: readonly string[]) =>
  sql`= any(${`{${values.map((value) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`}::text[])`;

export type ProfileEntry = { profile: MatchProfile; caseVersion: number; keys: ProfileKeys };

/** Replaces the keys and profiles of these reports (derived rows: recomputed, never edited). */
export async function saveProfiles(tx: MatchExecutor, entries: readonly ProfileEntry[]): Promise<void> {
  if (entries.length === 0) return;
  // Sorted, so that two workers saving overlapping batches lock rows in the same order.
  const sorted = [...entries].sort((a, b) => (a.profile.id < b.profile.id ? -1 : 1));
  const ids = sorted.map((entry) => entry.profile.id);
  await tx.execute(sql`delete from match_keys where case_id ${idsIn(ids)}`);
  await insertKeys(
    tx,
    sorted.flatMap(({ profile, keys }) =>
      keys.keys.map((key) => ({
        caseId: profile.id,
        side: profile.side,
        rule: key.rule,
        key: key.key,
        birth: keys.birth,
      })),
    ),
  );
  const profileRows = sorted.map(({ profile, caseVersion, keys }) => ({
    case_id: profile.id,
    side: profile.side,
    case_version: caseVersion,
    sex: profile.sex,
    birth: keys.birth,
    country: profile.place.country,
    state: profile.place.state ?? null,
    district: profile.place.district ?? null,
    latin_name: keys.latinName,
    name_keys: keys.nameKeys,
    profile,
    digest: keys.digest,
  }));
  for (let start = 0; start < profileRows.length; start += WRITE_CHUNK) {
    await tx.execute(sql`
      insert into match_profiles (case_id, side, case_version, sex, birth, country, state, district,
        latin_name, name_keys, profile, digest)
      select case_id, side, case_version, sex, birth, country, state, district, latin_name,
        array(select jsonb_array_elements_text(name_keys)), profile, digest
      from jsonb_to_recordset(${JSON.stringify(profileRows.slice(start, start + WRITE_CHUNK))}::jsonb)
        as p(case_id text, side text, case_version int, sex text, birth int, country text, state text,
          district text, latin_name text, name_keys jsonb, profile jsonb, digest text)
      on conflict (case_id) do update set side = excluded.side, case_version = excluded.case_version,
        sex = excluded.sex, birth = excluded.birth, country = excluded.country, state = excluded.state,
        district = excluded.district, latin_name = excluded.latin_name, name_keys = excluded.name_keys,
        profile = excluded.profile, digest = excluded.digest`);
  }
}

export type KeyRow = { caseId: string; side: MatchSide; rule: string; key: string; birth: number };

/** Adds blocking keys (a key already there is kept). */
export async function insertKeys(tx: Pick<NodeDb, 'execute'>, rows: readonly KeyRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += WRITE_CHUNK) {
    await tx.execute(sql`
      insert into match_keys (case_id, side, rule, key, birth)
      select * from jsonb_to_recordset(${JSON.stringify(rows.slice(start, start + WRITE_CHUNK))}::jsonb)
        as k("caseId" text, side text, rule text, key text, birth int)
      on conflict do nothing`);
  }
}

/**
 * Takes reports out of the pool (closed, matched, unverified…): no longer blocked against, and
 * their open proposals withdrawn. Decided pairs stay, as the record of the decision.
 */
export async function forgetProfiles(tx: MatchExecutor, caseIds: readonly string[]): Promise<void> {
  if (caseIds.length === 0) return;
  const sorted = [...caseIds].sort();
  await tx.execute(sql`delete from match_keys where case_id ${idsIn(sorted)}`);
  await tx.execute(sql`delete from match_profiles where case_id ${idsIn(sorted)}`);
  await tx
    .delete(matchCandidates)
    .where(
      and(
        eq(matchCandidates.status, 'proposed'),
        or(inArray(matchCandidates.missingCaseId, sorted), inArray(matchCandidates.foundCaseId, sorted)),
      ),
    );
}

/** How many reports of the other side one blocking key may bring, and the trigram rule's share. */
export type BlockingCaps = {
  /** Per key: this many with a later estimated birth and as many with an earlier one. */
  perKeyEachWay: number;
  /** Area keys (district + sex + band) are broad: fewer each way. */
  areaEachWay: number;
  /** The most similar transliterated names of the other side (0: no trigram rule). */
  trigram: number;
  /** Trigram similarity (0..1) from which a transliterated name counts as similar. */
  minTrigramSimilarity: number;
};

/**
 * The trigram rule is off by default: at 1 M reports on PostgreSQL a trigram lookup costs 60 to
 * 350 ms per report (the key rules, 6 ms), while on the synthetic benchmark it finds about 1 % of
 * true pairs the key rules miss. A node with a small pool may turn it on (`trigram: 20`).
 */
export const DEFAULT_CAPS: BlockingCaps = {
  perKeyEachWay: 25,
  areaEachWay: 10,
  trigram: 0,
  minTrigramSimilarity: 0.5,
};

export type BlockedPair = { probeId: string; candidateId: string; shared: number };

export type BlockingOptions = {
  /**
   * Also the partners of the probes' open proposals (shared 0 unless blocked too), so that a
   * proposal is scored again and withdrawn when it falls below the review threshold.
   */
  proposals?: boolean;
};

/**
 * Blocking: the reports of the other side that share a key with each probe, in one query. Every
 * key is read through the (rule, key, side, birth) index, outward from the probe's estimated
 * birth and capped each way, so a common name yields its nearest ages and no more; the trigram
 * rule takes the nearest transliterated names through a GiST index. `shared` counts the rules
 * and keys a pair has in common.
 */
export async function blockCandidates(
  db: Pick<NodeDb, 'execute' | 'transaction'>,
  probeIds: readonly string[],
  caps: BlockingCaps = DEFAULT_CAPS,
  options: BlockingOptions = {},
): Promise<BlockedPair[]> {
  if (probeIds.length === 0) return [];
  // `%` is "similarity at least pg_trgm.similarity_threshold", served by the side's GIN index;
  // the most similar of those are kept.
  const trigram = (side: MatchSide, other: MatchSide) => sql`
    select p.case_id as probe_id, t.case_id as candidate_id
    from match_profiles p
    cross join lateral (
      select q.case_id
      from match_profiles q
      where q.side = ${other} and q.latin_name % p.latin_name
      order by similarity(q.latin_name, p.latin_name) desc, q.case_id
      limit ${caps.trigram}
    ) t
    where p.case_id ${idsIn(probeIds)} and p.side = ${side} and p.latin_name <> ''`;
  const query = sql`
    with probe as materialized (
      select case_id, rule, key, birth,
        case when side = 'missing' then 'found' else 'missing' end as other,
        case when rule = 'area' then ${caps.areaEachWay}::int else ${caps.perKeyEachWay}::int end as each_way
      from match_keys
      where case_id ${idsIn(probeIds)}
    ),
    hits as (
      select p.case_id as probe_id, c.case_id as candidate_id
      from probe p
      cross join lateral (
        (select m.case_id from match_keys m
          where m.rule = p.rule and m.key = p.key and m.side = p.other and m.birth >= p.birth
          order by m.birth, m.case_id limit p.each_way)
        union all
        (select m.case_id from match_keys m
          where m.rule = p.rule and m.key = p.key and m.side = p.other and m.birth < p.birth
          order by m.birth desc, m.case_id desc limit p.each_way)
      ) c
      ${caps.trigram > 0 ? sql`union all (${trigram('missing', 'found')}) union all (${trigram('found', 'missing')})` : sql``}
    )
    select probe_id as "probeId", candidate_id as "candidateId", count(*)::int as shared
    from hits
    group by probe_id, candidate_id
    ${
      options.proposals
        ? sql`union all
    select c.missing_case_id, c.found_case_id, 0 from match_candidates c
    where c.missing_case_id ${idsIn(probeIds)} and c.status = 'proposed'
    union all
    select c.found_case_id, c.missing_case_id, 0 from match_candidates c
    where c.found_case_id ${idsIn(probeIds)} and c.status = 'proposed'`
        : sql``
    }`;
  if (caps.trigram === 0) return rowsOf<BlockedPair>(await db.execute(query));
  // The threshold is a setting: set for this transaction only.
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('pg_trgm.similarity_threshold', ${String(caps.minTrigramSimilarity)}, true)`,
    );
    return rowsOf<BlockedPair>(await tx.execute(query));
  });
}

export type StoredProfile = { caseId: string; side: MatchSide; profile: MatchProfile; digest: string };

export async function loadProfiles(
  db: Pick<NodeDb, 'execute'>,
  caseIds: readonly string[],
): Promise<Map<string, StoredProfile>> {
  return loadProfilesUnlessHeld(db, caseIds, () => undefined) as Promise<Map<string, StoredProfile>>;
}

export type StoredDigest = Omit<StoredProfile, 'profile'>;

/**
 * The stored profiles of these reports, in one query, except those the caller holds already at
 * a digest (`held`): for those only side and digest are read (a profile is some 1 kB of JSON to
 * send and parse), and the caller compares the digest with its own.
 */
export async function loadProfilesUnlessHeld(
  db: Pick<NodeDb, 'execute'>,
  caseIds: readonly string[],
  held: (caseId: string) => string | undefined,
): Promise<Map<string, StoredProfile | StoredDigest>> {
  const found = new Map<string, StoredProfile | StoredDigest>();
  type Row = { caseId: string; side: MatchSide; digest: string; profile: MatchProfile | null };
  for (let start = 0; start < caseIds.length; start += WRITE_CHUNK) {
    const chunk = caseIds.slice(start, start + WRITE_CHUNK);
    const full = chunk.filter((id) => held(id) === undefined);
    const digestOnly = chunk.filter((id) => held(id) !== undefined);
    const rows = rowsOf<Row>(
      await db.execute(sql`
        select case_id as "caseId", side, digest, profile from match_profiles where case_id ${idsIn(full)}
        union all
        select case_id, side, digest, null from match_profiles where case_id ${idsIn(digestOnly)}`),
    );
    for (const { profile, ...row } of rows) found.set(row.caseId, profile ? { ...row, profile } : row);
  }
  return found;
}

/** How many reports carry each phonetic name key, and how many reports there are. */
export async function nameKeyCounts(
  db: Pick<NodeDb, 'execute'>,
): Promise<{ counts: Map<string, number>; reports: number }> {
  const keys = rowsOf<{ key: string; reports: number }>(
    await db.execute(sql`
      select key, count(*)::int as reports
      from match_profiles, unnest(name_keys) as key
      group by key`),
  );
  const [total] = rowsOf<{ reports: number }>(
    await db.execute(sql`select count(*)::int as reports from match_profiles`),
  );
  return { counts: new Map(keys.map((row) => [row.key, row.reports])), reports: total?.reports ?? 0 };
}

export type ScoredCandidate = {
  missingCaseId: string;
  foundCaseId: string;
  probability: number;
  weight: number;
  explanation: unknown[];
  comparisons: unknown[];
  missingDigest: string;
  foundDigest: string;
};

/**
 * Writes the scores of pairs at or above the review threshold. A proposed pair is updated; a
 * rejected one is proposed again only when a material digest differs from the one it was
 * rejected with; a confirmed one is never touched.
 */
export async function upsertCandidates(
  tx: MatchExecutor,
  scored: readonly (ScoredCandidate & { id: string })[],
  now: Date,
): Promise<void> {
  for (let start = 0; start < scored.length; start += WRITE_CHUNK) {
    const rows = scored.slice(start, start + WRITE_CHUNK).map((pair) => ({
      id: pair.id,
      missing_case_id: pair.missingCaseId,
      found_case_id: pair.foundCaseId,
      probability: pair.probability,
      weight: pair.weight,
      explanation: pair.explanation,
      comparisons: pair.comparisons,
      missing_digest: pair.missingDigest,
      found_digest: pair.foundDigest,
    }));
    await tx.execute(sql`
      insert into match_candidates as c (id, missing_case_id, found_case_id, probability, weight,
        explanation, comparisons, status, missing_digest, found_digest, created_at, updated_at)
      select id, missing_case_id, found_case_id, probability, weight, explanation, comparisons, 'proposed',
        missing_digest, found_digest, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as s(id text, missing_case_id text, found_case_id text, probability float8, weight float8,
          explanation jsonb, comparisons jsonb, missing_digest text, found_digest text)
      order by missing_case_id, found_case_id
      on conflict (missing_case_id, found_case_id) do update set
        probability = excluded.probability, weight = excluded.weight, explanation = excluded.explanation,
        comparisons = excluded.comparisons, missing_digest = excluded.missing_digest, found_digest = excluded.found_digest,
        status = 'proposed', reason = null, decided_by = null, decided_at = null,
        updated_at = excluded.updated_at
      where c.status = 'proposed'
        or (c.status = 'rejected'
          and (c.missing_digest <> excluded.missing_digest or c.found_digest <> excluded.found_digest))`);
  }
}

/** Withdraws proposals that no longer reach the review threshold. */
export async function withdrawProposals(
  tx: MatchExecutor,
  pairs: readonly { missingCaseId: string; foundCaseId: string }[],
): Promise<void> {
  if (pairs.length === 0) return;
  await tx.execute(sql`
    delete from match_candidates c
    using jsonb_to_recordset(${JSON.stringify(pairs)}::jsonb) as w("missingCaseId" text, "foundCaseId" text)
    where c.missing_case_id = w."missingCaseId" and c.found_case_id = w."foundCaseId"
      and c.status = 'proposed'`);
}

/** Marks cases as matched at the versions processed (a case changed meanwhile stays due). */
export async function markMatched(
  tx: MatchExecutor,
  processed: readonly { caseId: string; version: number }[],
): Promise<void> {
  if (processed.length === 0) return;
  await tx.execute(sql`
    update cases set matched_version = v.version
    from jsonb_to_recordset(${JSON.stringify(processed)}::jsonb) as v("caseId" text, version int)
    where cases.id = v."caseId"`);
}

/** Cases whose current version the matcher has not processed yet, oldest change first. */
export async function dueCases(
  db: Pick<NodeDb, 'execute'>,
  limit: number,
): Promise<{ id: string; version: number }[]> {
  return rowsOf<{ id: string; version: number }>(
    await db.execute(sql`
      select id, version from cases
      where matched_version is distinct from version
      order by updated_at
      limit ${limit}`),
  );
}

export async function latestParameters(db: Pick<NodeDb, 'select'>) {
  const [row] = await db.select().from(matchParameters).orderBy(desc(matchParameters.id)).limit(1);
  return row;
}

export async function saveParameters(
  db: Pick<NodeDb, 'insert'>,
  entry: { parameters: unknown; source: 'em' | 'decisions'; pairs: number; createdBy: string },
): Promise<void> {
  await db.insert(matchParameters).values({
    parameters: entry.parameters as Record<string, unknown>,
    source: entry.source,
    pairs: entry.pairs,
    createdBy: entry.createdBy,
  });
}
