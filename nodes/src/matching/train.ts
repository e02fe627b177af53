// Learning the model's parameters from the node's own reports. m (how often the same child
// agrees) stays at the engine's defaults until officers have confirmed enough pairs, then is
// learnt from those decisions; u (how often different children agree by chance) is counted over
// the blocked pairs themselves, so the key that blocked a pair is not counted as evidence twice
// (random missing × found pairs give the starting point); EM over the blocked pairs learns only
// the prior, with a floor, because a sample of a few thousand pairs holds too few same-child
// pairs to pin it down. Each estimate is stored; the matcher scores with the newest.
import type { Database } from '@khoj/platform';
import { eq, or, sql } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { matchCandidates } from '../db/schema/index.ts';
import { blockCandidates, latestParameters, loadProfiles, rowsOf, saveParameters } from './matching.store.ts';
import type { MatchProfile } from './profile.ts';
import {
  compareProfiles,
  DEFAULT_PARAMETERS,
  estimateU,
  type FieldComparison,
  levelShares,
  type ModelParameters,
  type PreparedProfile,
  parametersFromDecisions,
  prepareProfile,
  runEm,
  withU,
} from './score/index.ts';

type NodeDb = Database<typeof schema>;

/** Confirmed pairs needed before officers' decisions replace EM's m. */
export const MIN_CONFIRMED = 30;

export type TrainOptions = {
  /** Blocked pairs EM runs over (a random sample of probes is blocked until there are this many). */
  pairs?: number;
  /** Random pairs u is counted over. */
  randomPairs?: number;
  createdBy: string;
  now?: Date;
};

export type TrainResult =
  | { stored: true; parameters: ModelParameters; source: 'em' | 'decisions'; pairs: number }
  /** EM found no plausible model and there are too few decisions: nothing was stored. */
  | { stored: false; reason: string; pairs: number };

/**
 * Whether an EM estimate can be right: every probe has at most one true counterpart among its
 * candidates, so same-child pairs are at most `probes / pairs` of the blocked pairs. EM that
 * converges on a larger share has found some other split of the pairs (same place, same sex …)
 * and its parameters would rank by that: they are not used.
 */
export function plausibleEstimate(parameters: ModelParameters, probes: number, pairs: number): boolean {
  return pairs > 0 && parameters.priorMatchProbability <= probes / pairs;
}

/**
 * At least this share of probes is taken to have their counterpart among their candidates: the
 * prior never falls below this share of one pair per probe. (A node's found children mostly have a
 * missing report somewhere in the pool; the old single-state system matched about 40 %.)
 */
export const MIN_COUNTERPART_SHARE = 0.25;

export type PairEstimateOptions = {
  /** m (and the fallback prior) come from these (default: the engine's defaults). */
  initial?: ModelParameters;
  now?: Date;
  /** How many probes were blocked and how many pairs they had, when the caller knows. */
  probes?: number;
  pairs?: number;
};

/**
 * EM over pairs already compared (the bulk matcher has them at hand), with m held at `initial`'s
 * (the engine's defaults, or m learnt from officers' decisions): among blocked candidates only a
 * few pairs in a thousand are the same child, too few to learn m from, and EM left free settles
 * on some other split of the pairs (same place, same sex …). u is how often different children
 * who were blocked together agree — far more often than children drawn at random, since they were
 * blocked for sharing a name, a place or a time — counted over the blocked pairs themselves (a few
 * same-child pairs among thousands hardly move it) and smoothed towards the random pairs' shares
 * (so a level the sample never shows keeps its chance share). Scored with it, the agreement that
 * put a pair among the candidates does not count as evidence a second time.
 *
 * The prior is the share of same-child pairs among blocked pairs, by EM with m and u held. A
 * sample holds only tens of same-child pairs, and EM tends to lose some of them to u: the prior is
 * kept at least MIN_COUNTERPART_SHARE of one pair per probe when the caller gives the counts, else
 * at least `initial`'s.
 */
export function estimateFromPairs(
  blocked: readonly (readonly FieldComparison[])[],
  random: readonly (readonly FieldComparison[])[],
  options: PairEstimateOptions = {},
): { parameters: ModelParameters; iterations: number; priorSource: 'em' | 'floor' } {
  const initial = options.initial ?? DEFAULT_PARAMETERS;
  const chance = random.length > 0 ? withU(initial, estimateU(random, initial)) : initial;
  const result = runEm(blocked, initial, {
    fixedM: levelShares(initial, 'm'),
    fixedU: estimateU(blocked, chance),
    ...(options.now ? { now: options.now } : {}),
  });
  const { probes, pairs } = options;
  const floor =
    probes !== undefined && pairs !== undefined && pairs > 0
      ? MIN_COUNTERPART_SHARE * Math.min(1, probes / pairs)
      : initial.priorMatchProbability;
  const learnt = result.parameters.priorMatchProbability;
  return {
    parameters: { ...result.parameters, priorMatchProbability: Math.max(learnt, floor) },
    iterations: result.iterations,
    priorSource: learnt >= floor ? 'em' : 'floor',
  };
}

/** Estimates parameters from this node's reports and decisions, and stores them. */
export async function trainParameters(db: NodeDb, options: TrainOptions): Promise<TrainResult> {
  const now = options.now ?? new Date();
  const wanted = options.pairs ?? 20_000;
  const stored = await latestParameters(db);
  const initial = (stored?.parameters as ModelParameters | undefined) ?? DEFAULT_PARAMETERS;

  const random = await randomPairs(db, options.randomPairs ?? 5_000);
  const blocked = await blockedSample(db, wanted);
  if (blocked.vectors.length === 0)
    throw new Error('no blocked candidate pairs to learn from: match some reports first');
  const estimated = estimateFromPairs(blocked.vectors, random, {
    initial,
    now,
    probes: blocked.probes,
    pairs: blocked.pairs,
  }).parameters;
  const plausible = plausibleEstimate(estimated, blocked.probes, blocked.pairs);
  const decided = await decidedPairs(db);
  if (decided.filter((pair) => pair.match).length >= MIN_CONFIRMED) {
    // Officers' decisions give m; u and the prior come from EM when it is plausible.
    const parameters = parametersFromDecisions(decided, plausible ? estimated : initial, { now });
    await saveParameters(db, {
      parameters,
      source: 'decisions',
      pairs: decided.length,
      createdBy: options.createdBy,
    });
    return { stored: true, parameters, source: 'decisions', pairs: decided.length };
  }
  if (!plausible) {
    return {
      stored: false,
      pairs: blocked.vectors.length,
      reason:
        `EM settled on ${(estimated.priorMatchProbability * 100).toFixed(1)}% same-child pairs, more than there ` +
        `can be (${((blocked.probes / blocked.pairs) * 100).toFixed(1)}%); the matcher keeps its parameters`,
    };
  }
  await saveParameters(db, {
    parameters: estimated,
    source: 'em',
    pairs: blocked.vectors.length,
    createdBy: options.createdBy,
  });
  return { stored: true, parameters: estimated, source: 'em', pairs: blocked.vectors.length };
}

type Loaded = Map<string, { profile: PreparedProfile; side: 'missing' | 'found' }>;

async function load(db: NodeDb, caseIds: readonly string[], into: Loaded): Promise<void> {
  const missing = caseIds.filter((id) => !into.has(id));
  for (const [id, stored] of await loadProfiles(db, missing)) {
    into.set(id, { profile: prepareProfile(stored.profile as MatchProfile), side: stored.side });
  }
}

/**
 * Comparison vectors of blocked pairs of randomly chosen probes, until `wanted` pairs; with how
 * many probes were blocked and how many pairs they had (for plausibleEstimate).
 */
async function blockedSample(
  db: NodeDb,
  wanted: number,
): Promise<{ vectors: FieldComparison[][]; probes: number; pairs: number }> {
  const probes = rowsOf<{ caseId: string }>(
    await db.execute(sql`
      select case_id as "caseId" from match_profiles order by random() limit ${Math.ceil(wanted / 20)}`),
  ).map((row) => row.caseId);
  const vectors: FieldComparison[][] = [];
  const profiles: Loaded = new Map();
  let probed = 0;
  let pairs = 0;
  for (let start = 0; start < probes.length && vectors.length < wanted; start += 100) {
    const batch = probes.slice(start, start + 100);
    const blocked = await blockCandidates(db, batch);
    probed += batch.length;
    pairs += blocked.length;
    await load(db, [...new Set(blocked.flatMap((pair) => [pair.probeId, pair.candidateId]))], profiles);
    for (const { probeId, candidateId } of blocked) {
      const probe = profiles.get(probeId);
      const candidate = profiles.get(candidateId);
      if (!probe || !candidate) continue;
      const [missing, found] = probe.side === 'missing' ? [probe, candidate] : [candidate, probe];
      vectors.push(compareProfiles(missing.profile, found.profile));
    }
  }
  return { vectors: vectors.slice(0, wanted), probes: probed, pairs };
}

/** Comparison vectors of missing × found pairs drawn at random: almost all different children. */
async function randomPairs(db: NodeDb, wanted: number): Promise<FieldComparison[][]> {
  const draw = async (side: 'missing' | 'found') =>
    rowsOf<{ caseId: string }>(
      await db.execute(sql`
        select case_id as "caseId" from match_profiles where side = ${side} order by random() limit ${wanted}`),
    ).map((row) => row.caseId);
  const [missing, found] = await Promise.all([draw('missing'), draw('found')]);
  const profiles: Loaded = new Map();
  await load(db, [...missing, ...found], profiles);
  const vectors: FieldComparison[][] = [];
  for (let i = 0; i < Math.min(missing.length, found.length); i++) {
    const m = profiles.get(missing[i] as string);
    const f = profiles.get(found[i] as string);
    if (m && f) vectors.push(compareProfiles(m.profile, f.profile));
  }
  return vectors;
}

/** The comparison vectors of pairs officers decided, with their decision. */
async function decidedPairs(db: NodeDb): Promise<{ comparisons: FieldComparison[]; match: boolean }[]> {
  const rows = await db
    .select({ status: matchCandidates.status, comparisons: matchCandidates.comparisons })
    .from(matchCandidates)
    .where(or(eq(matchCandidates.status, 'confirmed'), eq(matchCandidates.status, 'rejected')));
  return rows.map((row) => ({
    comparisons: row.comparisons as FieldComparison[],
    match: row.status === 'confirmed',
  }));
}
