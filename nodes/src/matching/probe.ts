// Matching a report this node does not hold — a summary received from another node, or the child
// described in a hit/no-hit query — against the node's own reports of the other side (a found
// probe against local missing reports and vice versa), with the engine the continuous matcher
// uses: the same blocking keys read from match_keys, the same scorer, parameters and name
// frequencies. Nothing about the probe is written; its candidates are returned, best first.
//
// A summary received at the `minimal` tier carries phonetic keys of the names instead of the
// names (a `ProbeProfile` with `phoneticNames`): they block like the names' own keys, while the
// scorer sees the names as unknown (no evidence either way), so such a probe is scored on sex,
// age, date, place and whatever else its tier holds.
import { sql } from 'drizzle-orm';
import type { NodeServices } from '../services.ts';
import { type BlockingKey, type BlockingRule, birthMonth, profileKeys } from './keys.ts';
import { nameFrequencies } from './matcher.ts';
import { DEFAULT_CAPS, latestParameters, loadProfiles, nameKeyCounts, rowsOf } from './matching.store.ts';
import type { MatchProfile } from './profile.ts';
import {
  DEFAULT_PARAMETERS,
  type ExplanationStep,
  type ModelParameters,
  type NameFrequencies,
  prepareProfile,
  scorePair,
} from './score/index.ts';
import { matchThresholds } from './thresholds.ts';

export type ProbeCandidate = {
  caseId: string;
  probability: number;
  band: 'alert' | 'review' | 'low';
  explanation: ExplanationStep[];
};

/** A probe that may carry phonetic name keys in place of names (the `minimal` tier). */
export type ProbeProfile = MatchProfile & { phoneticNames?: readonly string[] | undefined };

/** Candidates returned when the caller does not say. */
const DEFAULT_LIMIT = 20;
/** Name frequencies are a count over the whole pool: reused this long per node. */
const FREQUENCIES_TTL_MS = 10 * 60_000;
/** Shorter phonetic keys (initials) tie together most of the node; keys.ts skips them too. */
const MIN_KEY_LENGTH = 2;

/** Stored parameters change with training: read again after this long. */
const PARAMETERS_TTL_MS = 60_000;

type ModelCache = {
  parameters: { value: ModelParameters; at: number };
  frequencies: { value: NameFrequencies; at: number };
};
/** Per node services, not per module: two test nodes in one process keep their own model. */
const models = new WeakMap<NodeServices, ModelCache>();

export async function matchProbe(
  services: NodeServices,
  profile: MatchProfile,
  options?: { limit?: number },
): Promise<ProbeCandidate[]> {
  const limit = options?.limit ?? DEFAULT_LIMIT;
  const probe = prepareProfile(profile);
  const keys = probeKeys(probe, profile as ProbeProfile);
  if (keys.length === 0) return [];
  const other = profile.side === 'missing' ? 'found' : 'missing';
  const blocked = rowsOf<{ caseId: string; shared: number }>(
    await services.db.execute(sql`
      with probe as materialized (
        select rule, key, each_way from jsonb_to_recordset(${JSON.stringify(keys)}::jsonb)
          as k(rule text, key text, each_way int)
      ),
      hits as (
        select c.case_id
        from probe p
        cross join lateral (
          (select m.case_id from match_keys m
            where m.rule = p.rule and m.key = p.key and m.side = ${other} and m.birth >= ${birthMonth(profile)}
            order by m.birth, m.case_id limit p.each_way)
          union all
          (select m.case_id from match_keys m
            where m.rule = p.rule and m.key = p.key and m.side = ${other} and m.birth < ${birthMonth(profile)}
            order by m.birth desc, m.case_id desc limit p.each_way)
        ) c
      )
      select case_id as "caseId", count(*)::int as shared from hits group by case_id`),
  );
  if (blocked.length === 0) return [];
  const stored = await loadProfiles(
    services.db,
    blocked.map((row) => row.caseId),
  );
  const { parameters, frequencies } = await probeModel(services);
  const thresholds = matchThresholds(services.config);
  const candidates: ProbeCandidate[] = [];
  for (const local of stored.values()) {
    // A report that left the pool between blocking and loading has no profile: skipped above.
    if (local.side !== other) continue;
    const prepared = prepareProfile(local.profile);
    const [missing, found] = other === 'missing' ? [prepared, probe] : [probe, prepared];
    const scored = scorePair(missing, found, parameters, frequencies);
    candidates.push({
      caseId: local.caseId,
      probability: scored.probability,
      band:
        scored.probability >= thresholds.alert
          ? 'alert'
          : scored.probability >= thresholds.review
            ? 'review'
            : 'low',
      explanation: scored.explanation,
    });
  }
  return candidates
    .sort((a, b) => b.probability - a.probability || (a.caseId < b.caseId ? -1 : 1))
    .slice(0, limit);
}

type ProbeKey = { rule: BlockingRule; key: string; each_way: number };

/**
 * The blocking keys a probe is read with, and its estimated birth: stored for a held foreign
 * summary (cross-border/foreign-keys.ts), so that a local report changed later finds it by the
 * same keys that the summary finds the report with.
 */
export function probeBlockingKeys(profile: ProbeProfile): { birth: number; keys: BlockingKey[] } {
  const keys = probeKeys(prepareProfile(profile), profile).map(({ rule, key }) => ({ rule, key }));
  return { birth: birthMonth(profile), keys };
}

/** The probe's blocking keys, with phonetic keys received in place of names keyed like names. */
function probeKeys(probe: ReturnType<typeof prepareProfile>, profile: ProbeProfile): ProbeKey[] {
  const eachWay = (rule: BlockingRule) =>
    rule === 'area' ? DEFAULT_CAPS.areaEachWay : DEFAULT_CAPS.perKeyEachWay;
  const keys = new Map<string, ProbeKey>();
  const add = (rule: BlockingRule, key: string) =>
    keys.set(`${rule}\u0000${key}`, { rule, key, each_way: eachWay(rule) });
  for (const key of profileKeys(probe).keys) add(key.rule, key.key);
  const sexes = probe.sex === 'female' ? ['f'] : probe.sex === 'male' ? ['m'] : ['f', 'm'];
  const { country, state } = probe.prepared.place;
  for (const phonetic of profile.phoneticNames ?? []) {
    if (phonetic.length < MIN_KEY_LENGTH) continue;
    for (const sex of sexes) add('name', `${sex}:${phonetic}`);
    if (state) add('local', `${country}:${state.key}:${phonetic}`);
  }
  return [...keys.values()];
}

/** The scorer's parameters and name frequencies, cached per node. */
export async function probeModel(
  services: NodeServices,
): Promise<{ parameters: ModelParameters; frequencies: NameFrequencies }> {
  const now = Date.now();
  const cached = models.get(services);
  const parameters =
    cached && now - cached.parameters.at < PARAMETERS_TTL_MS
      ? cached.parameters
      : {
          value:
            ((await latestParameters(services.db))?.parameters as ModelParameters | undefined) ??
            DEFAULT_PARAMETERS,
          at: now,
        };
  const frequencies =
    cached && now - cached.frequencies.at < FREQUENCIES_TTL_MS
      ? cached.frequencies
      : { value: nameFrequencies(await nameKeyCounts(services.db)), at: now };
  models.set(services, { parameters, frequencies });
  return { parameters: parameters.value, frequencies: frequencies.value };
}
