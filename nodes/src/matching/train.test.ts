// Which EM estimates the matcher may use: at most one true counterpart per probe bounds the share
// of same-child pairs among blocked pairs, and an estimate beyond it is refused.
import { describe, expect, it } from 'vitest';
import { profileKeys } from './keys.ts';
import type { MatchProfile } from './profile.ts';
import {
  compareProfiles,
  DEFAULT_PARAMETERS,
  DEFAULT_THRESHOLDS,
  estimateU,
  type PreparedProfile,
  prepareProfile,
  scorePair,
  withU,
} from './score/index.ts';
import { estimateFromPairs, plausibleEstimate } from './train.ts';

describe('plausible EM estimates', () => {
  const withPrior = (priorMatchProbability: number) => ({ ...DEFAULT_PARAMETERS, priorMatchProbability });

  it('accepts a share of same-child pairs up to one per probe, and refuses more', () => {
    // 100 probes with 10,000 blocked pairs: at most 1% can be the same child.
    expect(plausibleEstimate(withPrior(0.004), 100, 10_000)).toBe(true);
    expect(plausibleEstimate(withPrior(0.01), 100, 10_000)).toBe(true);
    expect(plausibleEstimate(withPrior(0.011), 100, 10_000)).toBe(false);
    // EM that collapsed onto "every blocked pair is a match".
    expect(plausibleEstimate(withPrior(0.999), 100, 10_000)).toBe(false);
  });

  it('refuses anything learnt from no pairs', () => {
    expect(plausibleEstimate(withPrior(0.001), 0, 0)).toBe(false);
  });
});

describe('calibration: u and the prior learnt from blocked pairs, m held', () => {
  // A small node of its own: given names made of two or three syllables (so some are shared, as
  // in a real district), surnames from a short list, a third of the children found again with
  // the usual noise (given name only, estimated age, found weeks later, often in the same
  // district, marks noted by someone else), and found children of no report among them. Blocking
  // is every missing × found pair sharing a key.
  const SYLLABLES = ['ra', 'ma', 'su', 'ni', 'ka', 'ti', 'pa', 'lo', 'de', 'bi', 'sa', 'jo'];
  const SURNAMES = ['Das', 'Mondal', 'Ghosh', 'Sarkar', 'Roy', 'Biswas', 'Sheikh', 'Khatun'];
  const DISTRICTS = ['Nadia', 'Malda', 'Howrah', 'Hooghly', 'Birbhum', 'Bankura'];
  const MARKS = ['mole on left cheek', 'scar on right hand', 'burn mark on back', 'birthmark on neck'];

  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  function population() {
    const next = random(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const given = () => {
      const word = Array.from({ length: next() < 0.5 ? 2 : 3 }, () => pick(SYLLABLES)).join('');
      return word.charAt(0).toUpperCase() + word.slice(1);
    };
    const day = (offset: number) =>
      new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
    const missing: MatchProfile[] = [];
    const found: MatchProfile[] = [];
    const truth = new Map<string, string>();
    for (let i = 0; i < 450; i++) {
      const age = 6 + Math.floor(next() * 10);
      const lastSeen = Math.floor(next() * 300);
      const child: MatchProfile = {
        id: `m${i}`,
        side: 'missing',
        sex: next() < 0.5 ? 'male' : 'female',
        names: [`${given()} ${pick(SURNAMES)}`],
        guardianNames: [],
        age: { min: age, max: age, estimated: false },
        eventDate: day(lastSeen),
        place: { country: 'IN', state: 'West Bengal', district: pick(DISTRICTS) },
        languages: ['bn'],
        marks: next() < 0.4 ? [pick(MARKS)] : [],
      };
      missing.push(child);
      if (i % 3 === 0) {
        const id = `f${found.length}`;
        truth.set(id, child.id);
        found.push({
          ...child,
          id,
          side: 'found',
          names: next() < 0.5 ? child.names : [(child.names[0] as string).split(' ')[0] as string],
          age: { min: age - 1, max: age + 1, estimated: true },
          eventDate: day(lastSeen + 5 + Math.floor(next() * 60)),
          place: next() < 0.7 ? child.place : { ...child.place, district: pick(DISTRICTS) },
          marks: next() < 0.5 ? child.marks : [],
        });
      }
    }
    for (let j = 0; j < 150; j++) {
      const age = 6 + Math.floor(next() * 10);
      found.push({
        id: `f${found.length}`,
        side: 'found',
        sex: next() < 0.5 ? 'male' : 'female',
        names: [next() < 0.5 ? `${given()} ${pick(SURNAMES)}` : given()],
        guardianNames: [],
        age: { min: age - 1, max: age + 1, estimated: true },
        eventDate: day(Math.floor(next() * 360)),
        place: { country: 'IN', state: 'West Bengal', district: pick(DISTRICTS) },
        languages: ['bn'],
        marks: next() < 0.4 ? [pick(MARKS)] : [],
      });
    }
    return { missing: missing.map(prepareProfile), found: found.map(prepareProfile), truth };
  }

  it('scores blocked pairs so that an alert means the same child, and most true pairs reach review', () => {
    const { missing, found, truth } = population();
    const keysOf = (profile: PreparedProfile) =>
      new Set(profileKeys(profile).keys.map((key) => `${key.rule} ${key.key}`));
    const missingKeys = missing.map(keysOf);
    const blocked: [PreparedProfile, PreparedProfile][] = [];
    for (const f of found) {
      const keys = keysOf(f);
      missing.forEach((m, i) => {
        if ([...keys].some((key) => missingKeys[i]?.has(key))) blocked.push([m, f]);
      });
    }
    const vectors = blocked.map(([m, f]) => compareProfiles(m, f));
    const randomPairs = missing
      .slice(0, 200)
      .map((m, i) => compareProfiles(m, found[(i * 7) % found.length] as PreparedProfile));
    const { parameters } = estimateFromPairs(vectors, randomPairs, {
      probes: found.length,
      pairs: blocked.length,
    });
    expect(plausibleEstimate(parameters, found.length, blocked.length)).toBe(true);

    let falseAlerts = 0;
    let unmatched = 0;
    let trueReviewed = 0;
    const topOf = new Map<string, { missingId: string; probability: number }>();
    blocked.forEach(([m, f]) => {
      const { probability } = scorePair(m, f, parameters);
      const best = topOf.get(f.id);
      if (!best || probability > best.probability) topOf.set(f.id, { missingId: m.id, probability });
      if (truth.get(f.id) === m.id && probability >= DEFAULT_THRESHOLDS.review) trueReviewed++;
    });
    for (const f of found) {
      if (truth.has(f.id)) continue;
      unmatched++;
      if ((topOf.get(f.id)?.probability ?? 0) >= DEFAULT_THRESHOLDS.alert) falseAlerts++;
    }
    expect(unmatched).toBe(150);
    expect(falseAlerts / unmatched).toBeLessThanOrEqual(0.05);
    expect(trueReviewed / truth.size).toBeGreaterThan(0.4);
    // With u from random pairs (the old way), the same pairs raise many more false alerts: the
    // agreement that blocked them counts twice.
    const chance = { ...parameters, fields: withU(parameters, estimateU(randomPairs, parameters)).fields };
    let chanceAlerts = 0;
    for (const f of found) {
      if (truth.has(f.id)) continue;
      const top = blocked
        .filter(([, other]) => other === f)
        .map(([m]) => scorePair(m, f, chance).probability);
      if (Math.max(0, ...top) >= DEFAULT_THRESHOLDS.alert) chanceAlerts++;
    }
    expect(chanceAlerts).toBeGreaterThan(falseAlerts * 2);
  });
});
