// The in-memory blocking of `khoj match run` gives exactly the candidates the per-report blocking
// query gives by its key rules (the same caps, nearest births first), on reports whose common
// names overflow the caps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockInMemory, type KeyedReport, openThrowawayStore } from './bulk.ts';
import { profileKeys } from './keys.ts';
import { type BlockingCaps, blockCandidates, insertKeys, type KeyRow } from './matching.store.ts';
import type { MatchProfile } from './profile.ts';
import { prepareProfile } from './score/index.ts';

const GIVEN = ['Rahul', 'Puja', 'Sita', 'Arjun', 'Mina', 'Bikash'];
const FAMILY = ['Das', 'Roy', 'Tamang', 'Sheikh'];
const DISTRICTS = ['Nadia', 'Howrah', 'Malda'];

/** Reports with few names, so every name key holds more reports than the caps let through. */
function reports(side: 'missing' | 'found', count: number): MatchProfile[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `case_${side}${String(i).padStart(4, '0')}`,
    side,
    sex: (['female', 'male', 'unknown'] as const)[i % 3] ?? 'unknown',
    names: i % 7 === 0 ? [] : [`${GIVEN[(i * 5) % GIVEN.length]} ${FAMILY[(i * 3) % FAMILY.length]}`],
    guardianNames: side === 'missing' ? [`Anil ${FAMILY[i % FAMILY.length]}`] : [],
    age:
      side === 'missing'
        ? { min: 3 + (i % 13), max: 3 + (i % 13), estimated: false }
        : { min: 2 + (i % 12), max: 5 + (i % 12), estimated: true },
    eventDate: `202${i % 5}-0${1 + (i % 9)}-1${i % 9}`,
    place: { country: 'IN', state: 'WB', district: DISTRICTS[i % DISTRICTS.length] },
    languages: ['bn'],
    marks: [],
  }));
}

const CAPS: BlockingCaps = { perKeyEachWay: 3, areaEachWay: 2, trigram: 0, minTrigramSimilarity: 1 };

describe('in-memory blocking', () => {
  let store: Awaited<ReturnType<typeof openThrowawayStore>>;
  const found = reports('found', 60);
  const keyed: KeyedReport[] = [];

  beforeAll(async () => {
    store = await openThrowawayStore();
    const rows: KeyRow[] = [];
    for (const profile of [...reports('missing', 240), ...found]) {
      const keys = profileKeys(prepareProfile(profile));
      keyed.push({ ref: profile.id, side: profile.side, birth: keys.birth, keys: keys.keys });
      for (const key of keys.keys)
        rows.push({ caseId: profile.id, side: profile.side, ...key, birth: keys.birth });
    }
    await insertKeys(store.db, rows);
  });
  afterAll(async () => store?.close());

  it('finds, per probe, exactly what the per-report query finds by its key rules', async () => {
    const perReport = new Map<string, Set<string>>();
    for (const pair of await blockCandidates(
      store.db,
      found.map((profile) => profile.id),
      CAPS,
    )) {
      const set = perReport.get(pair.probeId) ?? new Set();
      set.add(pair.candidateId);
      perReport.set(pair.probeId, set);
    }
    // Caps bite: some probe shares keys with more reports than it gets.
    expect(Math.max(...[...perReport.values()].map((set) => set.size))).toBeGreaterThan(10);

    const inMemory = blockInMemory(keyed, 'found', CAPS);
    expect(inMemory.size).toBe(perReport.size);
    for (const [probe, candidates] of perReport) {
      const got = inMemory.get(probe) ?? [];
      expect(new Set(got), probe).toEqual(candidates);
      // Each candidate once.
      expect(got.length, probe).toBe(candidates.size);
    }
  });

  it('blocks missing reports against found ones the same way', async () => {
    const missingProbes = keyed.filter((report) => report.side === 'missing').map((report) => report.ref);
    const perReport = new Map<string, Set<string>>();
    for (const pair of await blockCandidates(store.db, missingProbes, CAPS)) {
      const set = perReport.get(pair.probeId) ?? new Set();
      set.add(pair.candidateId);
      perReport.set(pair.probeId, set);
    }
    const inMemory = blockInMemory(keyed, 'missing', CAPS);
    expect(inMemory.size).toBe(perReport.size);
    for (const [probe, candidates] of perReport)
      expect(new Set(inMemory.get(probe)), probe).toEqual(candidates);
  });

  it('puts the candidates sharing more keys first', () => {
    const probe: KeyedReport = {
      ref: 'f1',
      side: 'found',
      birth: 100,
      keys: [
        { rule: 'name', key: 'a' },
        { rule: 'name', key: 'b' },
      ],
    };
    const one: KeyedReport = { ref: 'm1', side: 'missing', birth: 100, keys: [{ rule: 'name', key: 'a' }] };
    const both: KeyedReport = { ref: 'm2', side: 'missing', birth: 300, keys: probe.keys };
    expect(blockInMemory([probe, one, both], 'found', CAPS).get('f1')).toEqual(['m2', 'm1']);
  });
});
