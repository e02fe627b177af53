// Matching many reports at once (`khoj match run`, benchmarks, a node's first start on imported
// data): profiles and keys for every case in large batches, blocking for many probes per query,
// the profiles of an interchange file, and blocking in memory for `khoj match run`. The same keys,
// blocking rules and caps as the continuous matcher.
import { createReadStream } from 'node:fs';
import { type Database, type DatabaseHandle, openDatabase } from '@khoj/platform';
import { asc, gt, sql } from 'drizzle-orm';
import * as schema from '../db/schema/index.ts';
import { type CaseRow, cases } from '../db/schema/index.ts';
import { detectFormat } from '../interchange/format.ts';
import { readInterchange } from '../interchange/read.ts';
import type { RowError } from '../interchange/row-errors.ts';
import { NODE_MIGRATIONS, NODE_PGLITE_EXTENSIONS } from '../services.ts';
import { profileFromCase, profileFromRecord } from './from-case.ts';
import { type BlockingKey, profileKeys } from './keys.ts';
import { isMatchable } from './matcher.ts';
import {
  type BlockedPair,
  type BlockingCaps,
  blockCandidates,
  DEFAULT_CAPS,
  markMatched,
  type ProfileEntry,
  saveProfiles,
} from './matching.store.ts';
import type { MatchProfile, MatchSide } from './profile.ts';
import { prepareProfile } from './score/index.ts';

type NodeDb = Database<typeof schema>;

/**
 * Computes and stores the profile and keys of every matchable case (and marks every case as
 * processed at its version). Returns how many cases were indexed.
 */
export async function indexAllCases(
  db: NodeDb,
  options: {
    batch?: number;
    onProgress?: (cases: number) => void;
    /** Where a case's profile comes from (default: the case row itself). */
    profileOf?: (row: CaseRow) => MatchProfile;
    /** Resume an interrupted run: only cases with a larger id (cases are taken in id order). */
    after?: string;
  } = {},
): Promise<number> {
  const profileOf = options.profileOf ?? profileFromCase;
  const batch = options.batch ?? 2_000;
  let indexed = 0;
  let after = options.after;
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
      indexed += 1;
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

/** An interchange file's valid lines as profiles, by the file's `id`, and what was wrong with the rest. */
export type ReportFile = { profiles: Map<string, MatchProfile>; errors: RowError[][] };

/**
 * The profiles of an interchange file's valid lines by the file's `id`, read from the records
 * themselves: a line may say more than a case can hold (a found child naming a parent). A
 * repeated `id` keeps its first line, as an import into one unit would.
 */
export async function readProfiles(path: string): Promise<ReportFile> {
  const profiles = new Map<string, MatchProfile>();
  const errors: RowError[][] = [];
  for await (const row of readInterchange(createReadStream(path), detectFormat(path))) {
    if (row.errors) errors.push(row.errors);
    else if (!profiles.has(row.record.id)) profiles.set(row.record.id, profileFromRecord(row.record));
  }
  return { profiles, errors };
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

/** A report as blocking sees it: its blocking keys and estimated birth month. */
export type KeyedReport = { ref: string; side: MatchSide; birth: number; keys: readonly BlockingKey[] };

/**
 * Blocking of every report of one side against the other, in memory (`khoj match run`): the
 * candidates blockCandidates' key rules give — per shared key, the reports of the other side
 * nearest in estimated birth, `each way` below and above — found by sorting each key's reports
 * once and slicing around each probe's birth, instead of two index reads per probe key. A probe
 * sorts before the other side's reports of its own birth month, and reports of one month are
 * taken in `ref` order. The trigram rule is left out (a nearest-name search per probe costs
 * minutes over tens of thousands of probes). Returns the candidates of each probe that has any,
 * those sharing more keys first.
 */
export function blockInMemory(
  reports: readonly KeyedReport[],
  probeSide: MatchSide,
  caps: BlockingCaps = DEFAULT_CAPS,
): Map<string, string[]> {
  // Reports by number from here on: tens of millions of string comparisons and map entries
  // otherwise (measured: most of the time went into the garbage collector).
  const births = Int32Array.from(reports, (report) => report.birth);
  const refRank = new Int32Array(reports.length);
  Int32Array.from(reports.keys())
    .sort((a, b) => {
      const x = (reports[a] as KeyedReport).ref;
      const y = (reports[b] as KeyedReport).ref;
      return x < y ? -1 : x > y ? 1 : 0;
    })
    .forEach((report, rank) => {
      refRank[report] = rank;
    });
  // Taken in (birth, ref) order, so that every key's list of reports comes out sorted.
  const byBirth = Int32Array.from(reports.keys()).sort(
    (a, b) =>
      (births[a] as number) - (births[b] as number) || (refRank[a] as number) - (refRank[b] as number),
  );
  const groups = new Map<string, { area: boolean; probes: number[]; others: number[] }>();
  for (const index of byBirth) {
    const report = reports[index] as KeyedReport;
    for (const { rule, key } of report.keys) {
      const name = `${rule}\u0000${key}`;
      let group = groups.get(name);
      if (!group) {
        group = { area: rule === 'area', probes: [], others: [] };
        groups.set(name, group);
      }
      (report.side === probeSide ? group.probes : group.others).push(index);
    }
  }
  // Every (probe, candidate) hit, one per shared key; counted per probe below.
  const hits = new Map<number, number[]>();
  for (const { area, probes, others } of groups.values()) {
    if (probes.length === 0 || others.length === 0) continue;
    const eachWay = area ? caps.areaEachWay : caps.perKeyEachWay;
    for (const probe of probes) {
      // How many of the other side were born in earlier months: the probe's place among them.
      const birth = births[probe] as number;
      let low = 0;
      let high = others.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((births[others[middle] as number] as number) < birth) low = middle + 1;
        else high = middle;
      }
      let list = hits.get(probe);
      if (!list) {
        list = [];
        hits.set(probe, list);
      }
      const end = Math.min(others.length, low + eachWay);
      for (let at = Math.max(0, low - eachWay); at < end; at++) list.push(others[at] as number);
    }
  }
  const blocked = new Map<string, string[]>();
  for (const [probe, list] of hits) {
    list.sort((a, b) => a - b);
    const counted: { candidate: number; shared: number }[] = [];
    for (let at = 0; at < list.length; ) {
      let next = at + 1;
      while (next < list.length && list[next] === list[at]) next++;
      counted.push({ candidate: list[at] as number, shared: next - at });
      at = next;
    }
    counted.sort(
      (a, b) => b.shared - a.shared || (refRank[a.candidate] as number) - (refRank[b.candidate] as number),
    );
    blocked.set(
      (reports[probe] as KeyedReport).ref,
      counted.map(({ candidate }) => (reports[candidate] as KeyedReport).ref),
    );
  }
  return blocked;
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
