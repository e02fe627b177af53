// The node's matcher: takes reports whose current version it has not processed, (re)computes
// their profile and blocking keys, blocks in the database, scores each candidate pair with the
// engine, and writes the pairs that reach the review threshold as candidates — in both
// directions, since a probe of either side is blocked against the other side. Only verified
// reports that are open or under review take part; a report leaving that state is taken out of
// the pool and its open proposals withdrawn.
import type { Database } from '@khoj/platform';
import { newId } from '@khoj/platform';
import { eq, inArray } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { type CaseRow, cases } from '../db/schema/index.ts';
import { profileFromCase } from './from-case.ts';
import { type ProfileKeys, profileKeys } from './keys.ts';
import {
  type BlockingCaps,
  blockCandidates,
  DEFAULT_CAPS,
  dueCases,
  forgetProfiles,
  latestParameters,
  loadProfiles,
  loadProfilesUnlessHeld,
  markMatched,
  nameKeyCounts,
  type ScoredCandidate,
  saveProfiles,
  upsertCandidates,
  withdrawProposals,
} from './matching.store.ts';
import type { MatchProfile } from './profile.ts';
import {
  DEFAULT_PARAMETERS,
  type ModelParameters,
  type NameFrequencies,
  type PreparedProfile,
  prepareProfile,
  scorePair,
} from './score/index.ts';
import type { MatchThresholds } from './thresholds.ts';

type NodeDb = Database<typeof schema>;

/** Statuses in which a report is still looking for its counterpart. */
const ACTIVE = new Set<CaseRow['status']>(['open', 'under_review']);

export function isMatchable(row: Pick<CaseRow, 'status' | 'verification'>): boolean {
  return row.verification === 'verified' && ACTIVE.has(row.status);
}

/** How long stored parameters and name frequencies are reused before being read again. */
const PARAMETERS_TTL_MS = 60_000;
const FREQUENCIES_TTL_MS = 10 * 60_000;
/**
 * Below this many reports, name frequencies are noise (two reports of one rare name would make it
 * "common"): the scorer then weighs names by the model's parameters alone.
 */
export const MIN_FREQUENCY_REPORTS = 1_000;
/** Prepared profiles kept in memory (a candidate is usually scored again soon). */
const PREPARED_CACHE = 100_000;

/** The share of reports carrying each phonetic name key, from counts over the pool. */
export function nameFrequencies(counted: { counts: Map<string, number>; reports: number }): NameFrequencies {
  const { counts, reports } = counted;
  return (key) => {
    const count = counts.get(key);
    return count && reports >= MIN_FREQUENCY_REPORTS ? count / reports : undefined;
  };
}

export type MatcherOptions = {
  db: NodeDb;
  thresholds: MatchThresholds;
  clock?: () => Date;
  log?: (message: string) => void;
  caps?: BlockingCaps;
  /**
   * Further matching of each pass's reports (against the summaries held from other nodes: see
   * cross-border/local-reports.ts), run before they are marked matched: a failure fails the pass,
   * which is then tried report by report like any other, so a version is marked matched only once
   * it was matched here and there.
   */
  alsoMatch?: (pass: MatchedReports) => Promise<void>;
};

/** A pass's reports as handed to `alsoMatch`. */
export type MatchedReports = {
  /** Reports in the pool, at the version matched; their keys and profiles are committed. */
  active: { caseId: string; version: number; prepared: PreparedProfile; keys: ProfileKeys }[];
  /** Reports that left the pool (closed, matched, no longer verified…). */
  leaving: string[];
};

export type MatchPass = { processed: number; candidates: number };

/** Where scoreProbes spent its time, in ms (for benchmarks): filled in when passed. */
export type ScoreTimings = { block?: number; load?: number; score?: number };

export type Matcher = ReturnType<typeof createMatcher>;

export function createMatcher(options: MatcherOptions) {
  const { db, thresholds } = options;
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const caps = options.caps ?? DEFAULT_CAPS;
  const prepared = new Map<string, { digest: string; profile: PreparedProfile }>();
  let parameters: { value: ModelParameters; at: number } | undefined;
  let frequencies: { value: NameFrequencies; at: number; reports: number } | undefined;

  function remember(caseId: string, digest: string, profile: PreparedProfile): PreparedProfile {
    // Deleted and re-inserted: the Map's order is then least recently used first.
    prepared.delete(caseId);
    prepared.set(caseId, { digest, profile });
    if (prepared.size > PREPARED_CACHE) {
      const oldest = prepared.keys().next().value;
      if (oldest !== undefined) prepared.delete(oldest);
    }
    return profile;
  }

  function prepareCached(caseId: string, digest: string, profile: MatchProfile): PreparedProfile {
    const hit = prepared.get(caseId);
    return remember(caseId, digest, hit && hit.digest === digest ? hit.profile : prepareProfile(profile));
  }

  /** The cached prepared profile at this digest (marked recently used), if there is one. */
  function touch(caseId: string, digest: string): PreparedProfile | undefined {
    const hit = prepared.get(caseId);
    return hit && hit.digest === digest ? remember(caseId, digest, hit.profile) : undefined;
  }

  async function currentParameters(): Promise<ModelParameters> {
    const now = Date.now();
    if (!parameters || now - parameters.at > PARAMETERS_TTL_MS) {
      const stored = await latestParameters(db);
      parameters = {
        value: (stored?.parameters as ModelParameters | undefined) ?? DEFAULT_PARAMETERS,
        at: now,
      };
    }
    return parameters.value;
  }

  async function currentFrequencies(): Promise<NameFrequencies> {
    const now = Date.now();
    if (!frequencies || now - frequencies.at > FREQUENCIES_TTL_MS) {
      const counted = await nameKeyCounts(db);
      frequencies = { value: nameFrequencies(counted), at: now, reports: counted.reports };
    }
    return frequencies.value;
  }

  /** Forget cached parameters and frequencies (after training, or a bulk load). */
  function refresh(): void {
    parameters = undefined;
    frequencies = undefined;
  }

  /**
   * Scores each probe against its blocked candidates and the partners of its open proposals.
   * Returns every scored pair once (a pair blocked from both of its reports is scored once).
   */
  async function scoreProbes(
    probeIds: readonly string[],
    timings?: ScoreTimings,
  ): Promise<ScoredCandidate[]> {
    if (probeIds.length === 0) return [];
    let at = performance.now();
    const lap = (stage: keyof ScoreTimings) => {
      const now = performance.now();
      if (timings) timings[stage] = now - at;
      at = now;
    };
    // Blocked candidates and the partners of open proposals, in one query.
    const blocked = await blockCandidates(db, probeIds, caps, { proposals: true });
    lap('block');
    const involved = new Set(probeIds);
    for (const pair of blocked) involved.add(pair.candidateId);
    // Profiles already prepared at their stored digest are not read again.
    const cachedDigest = (caseId: string) => prepared.get(caseId)?.digest;
    const stored = await loadProfilesUnlessHeld(db, [...involved], cachedDigest);
    const stale = [...stored.values()].filter(
      (row) => !('profile' in row) && row.digest !== cachedDigest(row.caseId),
    );
    if (stale.length > 0) {
      for (const [caseId, row] of await loadProfiles(
        db,
        stale.map((row) => row.caseId),
      ))
        stored.set(caseId, row);
    }
    const pairs = new Map<string, { missing: string; found: string }>();
    for (const pair of blocked) {
      const probe = stored.get(pair.probeId);
      if (!probe) continue;
      const [missing, found] =
        probe.side === 'missing' ? [pair.probeId, pair.candidateId] : [pair.candidateId, pair.probeId];
      pairs.set(`${missing} ${found}`, { missing, found });
    }
    const profiles = new Map<string, PreparedProfile>();
    const digests = new Map<string, string>();
    // The held ones first: marked recently used before preparing the others can evict them.
    for (const row of stored.values()) {
      if ('profile' in row) continue;
      const held = touch(row.caseId, row.digest);
      if (held) {
        profiles.set(row.caseId, held);
        digests.set(row.caseId, row.digest);
      }
    }
    const preparedOf = (caseId: string) => {
      let profile = profiles.get(caseId);
      if (profile) return profile;
      const row = stored.get(caseId);
      if (!row || !('profile' in row)) return undefined;
      profile = prepareCached(row.caseId, row.digest, row.profile);
      profiles.set(caseId, profile);
      digests.set(caseId, row.digest);
      return profile;
    };
    const [model, tf] = await Promise.all([currentParameters(), currentFrequencies()]);
    lap('load');
    const scored: ScoredCandidate[] = [];
    for (const { missing, found } of pairs.values()) {
      const m = preparedOf(missing);
      const f = preparedOf(found);
      // A partner that left the pool since: its proposals were withdrawn with it.
      if (!m || !f) continue;
      const result = scorePair(m, f, model, tf);
      scored.push({
        missingCaseId: missing,
        foundCaseId: found,
        probability: result.probability,
        weight: result.weight,
        explanation: result.explanation,
        comparisons: result.comparisons,
        missingDigest: digests.get(missing) as string,
        foundDigest: digests.get(found) as string,
      });
    }
    lap('score');
    return scored;
  }

  /** Matches these cases at their current versions; returns how many candidates were written. */
  async function matchCases(caseIds: readonly string[]): Promise<MatchPass> {
    if (caseIds.length === 0) return { processed: 0, candidates: 0 };
    const rows = await db
      .select()
      .from(cases)
      .where(inArray(cases.id, [...caseIds]));
    const active = rows.filter(isMatchable);
    const leaving = rows.filter((row) => !isMatchable(row)).map((row) => row.id);
    const entries = active.map((row) => {
      const profile = profileFromCase(row);
      const ready = prepareProfile(profile);
      const keys = profileKeys(ready);
      // Scoring, just below, finds it prepared.
      remember(row.id, keys.digest, ready);
      return { profile, caseVersion: row.version, keys, prepared: ready };
    });
    // Keys first, committed: a concurrent pass over a counterpart then sees them (of two passes
    // over the two reports of one pair, the later to commit its keys finds the other).
    await db.transaction(async (tx) => {
      await saveProfiles(tx, entries);
      await forgetProfiles(tx, leaving);
    });
    const scored = await scoreProbes(active.map((row) => row.id));
    const kept = scored.filter((pair) => pair.probability >= thresholds.review);
    const dropped = scored.filter((pair) => pair.probability < thresholds.review);
    await options.alsoMatch?.({
      active: entries.map((entry) => ({
        caseId: entry.profile.id,
        version: entry.caseVersion,
        prepared: entry.prepared,
        keys: entry.keys,
      })),
      leaving,
    });
    await db.transaction(async (tx) => {
      await upsertCandidates(
        tx,
        kept.map((pair) => ({ ...pair, id: newId('match') })),
        clock(),
      );
      await withdrawProposals(tx, dropped);
      await markMatched(
        tx,
        rows.map((row) => ({ caseId: row.id, version: row.version })),
      );
    });
    return { processed: rows.length, candidates: kept.length };
  }

  /**
   * Matches these reports together; when that fails, one by one, and one that fails alone is
   * logged and set aside at its version (it comes back when it changes), so that it cannot hold
   * up the queue. A failure to set it aside (the database gone) is thrown.
   */
  async function matchIsolated(caseIds: readonly string[]): Promise<MatchPass> {
    try {
      return await matchCases(caseIds);
    } catch {
      const pass: MatchPass = { processed: 0, candidates: 0 };
      for (const caseId of caseIds) {
        try {
          const single = await matchCases([caseId]);
          pass.processed += single.processed;
          pass.candidates += single.candidates;
        } catch (error: unknown) {
          log(`matching ${caseId} failed, set aside until it changes: ${messageOf(error)}`);
          await setAside(caseId);
          pass.processed += 1;
        }
      }
      return pass;
    }
  }

  async function setAside(caseId: string): Promise<void> {
    const [row] = await db.select({ version: cases.version }).from(cases).where(eq(cases.id, caseId));
    if (row) await db.transaction((tx) => markMatched(tx, [{ caseId, version: row.version }]));
  }

  /** One pass over the reports due for matching. */
  async function matchDue(limit = 50): Promise<MatchPass> {
    return matchIsolated((await dueCases(db, limit)).map((row) => row.id));
  }

  return { matchCases, matchIsolated, matchDue, scoreProbes, refresh, thresholds };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
