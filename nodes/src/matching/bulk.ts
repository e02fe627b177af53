// Matching a whole store at once (`khoj match run`, benchmarks, a node's first start on imported
// data): profiles and keys for every case in large batches, blocking for many probes per query,
// scoring in memory. The same keys, blocking query and scorer as the continuous matcher.
import { createReadStream } from 'node:fs';
import { type Database, type DatabaseHandle, openDatabase } from '@khoj/platform';
import { asc, gt, sql } from 'drizzle-orm';
import * as schema from '../db/schema/index.ts';
import { type CaseRow, cases } from '../db/schema/index.ts';
import { detectFormat } from '../interchange/format.ts';
import { readInterchange } from '../interchange/read.ts';
import { NODE_MIGRATIONS, NODE_PGLITE_EXTENSIONS } from '../services.ts';
import { profileFromCase, profileFromRecord } from './from-case.ts';
import { profileKeys } from './keys.ts';
import { isMatchable } from './matcher.ts';
import {
  type BlockedPair,
  type BlockingCaps,
  blockCandidates,
  DEFAULT_CAPS,
  markMatched,
  type ProfileEntry,
  rowsOf,
  saveProfiles,
} from './matching.store.ts';
import type { MatchProfile, MatchSide } from './profile.ts';
import { type PreparedProfile, prepareProfile } from './score/index.ts';

type NodeDb = Database<typeof schema>;

export type IndexedCase = {
  caseId: string;
  externalRef: string | null;
  side: 'missing' | 'found';
  profile: PreparedProfile;
  digest: string;
};

/**
 * Computes and stores the profile and keys of every matchable case (and marks every case as
 * processed at its version). Returns the prepared profiles, so the caller scores without reading
 * them back.
 */
export async function indexAllCases(
  db: NodeDb,
  options: {
    batch?: number;
    onProgress?: (cases: number) => void;
    /** Where a case's profile comes from (default: the case row itself). */
    profileOf?: (row: CaseRow) => MatchProfile;
  } = {},
): Promise<Map<string, IndexedCase>> {
  const profileOf = options.profileOf ?? profileFromCase;
  const batch = options.batch ?? 2_000;
  const indexed = new Map<string, IndexedCase>();
  let after: string | undefined;
  for (;;) {
    const rows: CaseRow[] = await db
      .select()
      .from(cases)
      .where(after ? gt(cases.id, after) : sql`true`)
      .orderBy(asc(cases.id))
      .limit(batch);
    const entries: ProfileEntry[] = [];
    for (const row of rows) {
      if (!isMatchable(row)) continue;
      const profile = profileOf(row);
      const prepared = prepareProfile(profile);
      const keys = profileKeys(prepared);
      entries.push({ profile, caseVersion: row.version, keys });
      indexed.set(row.id, {
        caseId: row.id,
        externalRef: row.externalRef,
        side: row.kind,
        profile: prepared,
        digest: keys.digest,
      });
    }
    await db.transaction(async (tx) => {
      await saveProfiles(tx, entries);
      await markMatched(
        tx,
        rows.map((row) => ({ caseId: row.id, version: row.version })),
      );
    });
    options.onProgress?.(rows.length);
    if (rows.length < batch) break;
    after = rows.at(-1)?.id;
  }
  // Fresh statistics for the planner after a bulk load: the blocking query's plan depends on them.
  await db.execute(sql`analyze match_keys`);
  await db.execute(sql`analyze match_profiles`);
  return indexed;
}

/**
 * The profiles of an interchange file's valid lines by the file's `id`, read from the records
 * themselves: a line may say more than a case can hold (a found child naming a parent).
 */
export async function readProfiles(path: string): Promise<Map<string, MatchProfile>> {
  const profiles = new Map<string, MatchProfile>();
  for await (const row of readInterchange(createReadStream(path), detectFormat(path))) {
    if (row.record) profiles.set(row.record.id, profileFromRecord(row.record));
  }
  return profiles;
}

/** Blocks the probes in batches (one query each), yielding each batch's pairs. */
export async function* blockAll(
  db: Pick<NodeDb, 'execute' | 'transaction'>,
  probeIds: readonly string[],
  options: { batch?: number; caps?: BlockingCaps } = {},
): AsyncGenerator<BlockedPair[]> {
  const batch = options.batch ?? 500;
  for (let start = 0; start < probeIds.length; start += batch) {
    yield await blockCandidates(db, probeIds.slice(start, start + batch), options.caps ?? DEFAULT_CAPS);
  }
}

/**
 * Set-based blocking of every report of one side against the other (`khoj match run`): the
 * candidates blockCandidates' key rules give — per shared key, the reports of the other side
 * nearest in estimated birth, `each way` below and above — computed in one query by ranking each
 * key's reports once (a window over match_keys) and joining every probe key to the ranks around
 * its own, instead of two index scans per probe key. The trigram rule is left out: a nearest-name
 * search costs milliseconds per probe, which over tens of thousands of probes is minutes.
 * Returns the candidates of each probe.
 */
export async function blockSide(
  db: Pick<NodeDb, 'execute'>,
  probeSide: MatchSide,
  caps: BlockingCaps = DEFAULT_CAPS,
): Promise<Map<string, string[]>> {
  const other: MatchSide = probeSide === 'missing' ? 'found' : 'missing';
  const result = await db.execute(sql`
    with ranked as (
      -- pos: how many reports of the other side come before this row in birth order (a probe
      -- sorts before the other side's reports of the same birth month).
      select case_id, side, rule, key,
        (count(*) filter (where side = ${other})
          over (partition by rule, key order by birth, (side = ${probeSide}) desc, case_id
            rows between unbounded preceding and current row))::int as pos
      from match_keys
    ),
    probes as (
      select case_id, rule, key, pos,
        case when rule = 'area' then ${caps.areaEachWay}::int else ${caps.perKeyEachWay}::int end as each_way
      from ranked where side = ${probeSide}
    )
    select p.case_id as "probeId", array_agg(distinct c.case_id) as "candidateIds"
    from probes p
    cross join lateral generate_series(p.pos - p.each_way + 1, p.pos + p.each_way) as around(pos)
    join ranked c on c.side = ${other} and c.rule = p.rule and c.key = p.key and c.pos = around.pos
    group by p.case_id`);
  return new Map(
    rowsOf<{ probeId: string; candidateIds: string[] }>(result).map((row) => [row.probeId, row.candidateIds]),
  );
}

/**
 * A node store that lives in memory only (`khoj match run`): nothing of the children's reports
 * touches the disk, and closing it removes everything.
 */
export async function openThrowawayStore(): Promise<DatabaseHandle<typeof schema>> {
  return openDatabase({
    dataDir: 'memory://',
    migrationsFolder: NODE_MIGRATIONS,
    extensions: NODE_PGLITE_EXTENSIONS,
    schema,
  });
}

/**
 * Before loading every report's keys into a throwaway store (`khoj match run`): drops the
 * indexes that serve one report's blocking and the key's uniqueness, which that run never uses —
 * its set-based blocking reads the whole table — and which cost more to keep up during the load
 * than the load itself. Never on a node's own store.
 */
export async function prepareBulkLoad(db: Pick<NodeDb, 'execute'>): Promise<void> {
  await db.execute(sql`drop index if exists match_keys_lookup`);
  await db.execute(sql`alter table match_keys drop constraint if exists match_keys_case_id_rule_key_pk`);
}
