// The benchmark generator: the same seed gives the same files, every line is a valid interchange
// record, the truth points at real reports, and the data is hard in the intended ways.
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInterchange } from '../../../nodes/src/interchange/index.ts';
import { writeBenchmark } from './command.ts';
import { generateBenchmark, type SyntheticReport, type TruthRow } from './generate.ts';

const json = (items: Iterable<unknown>) => [...items].map((item) => JSON.stringify(item));

describe('generateBenchmark', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const run = (seed: number) => {
      const benchmark = generateBenchmark({ seed, missing: 300, found: 120 });
      return { missing: json(benchmark.missing), found: json(benchmark.found), truth: json(benchmark.truth) };
    };
    const first = run(7);
    expect(run(7)).toEqual(first);
    const other = run(8);
    expect(other.missing).not.toEqual(first.missing);
    expect(other.found).not.toEqual(first.found);
    expect(other.truth).not.toEqual(first.truth);
  });

  it('gives missing report k the same content whatever the size of the run', () => {
    const small = json(generateBenchmark({ seed: 3, missing: 50, found: 10 }).missing);
    const large = json(generateBenchmark({ seed: 3, missing: 400, found: 10 }).missing).slice(0, 50);
    expect(large).toEqual(small);
  });

  it('agrees between the found and truth iterables and the single pass over both', () => {
    const benchmark = generateBenchmark({ seed: 5, missing: 200, found: 80 });
    const pairs = [...benchmark.foundWithTruth];
    expect(json(pairs.map((pair) => pair.report))).toEqual(json(benchmark.found));
    expect(json(pairs.map((pair) => pair.truth))).toEqual(json(benchmark.truth));
  });

  it('honours matchedShare, matches each missing report at most once, and caps at the missing count', () => {
    const count = (share: number, missing = 2_000) =>
      [...generateBenchmark({ seed: 11, missing, found: 1_000, matchedShare: share }).truth].filter(
        (row) => row.missingId !== null,
      );
    expect(count(0.7)).toHaveLength(700);
    expect(count(0.25)).toHaveLength(250);
    expect(count(0)).toHaveLength(0);
    const all = count(1, 600);
    expect(all).toHaveLength(600);
    expect(new Set(all.map((row) => row.missingId)).size).toBe(600);
  });

  it('refuses counts and shares that make no sense', () => {
    expect(() => generateBenchmark({ seed: 1, missing: -1, found: 1 })).toThrow(/missing/);
    expect(() => generateBenchmark({ seed: 1, missing: 1, found: 1.5 })).toThrow(/found/);
    expect(() => generateBenchmark({ seed: 1, missing: 1, found: 1, matchedShare: 1.2 })).toThrow(
      /matchedShare/,
    );
  });
});

describe('the files written for a benchmark', () => {
  let dir: string;
  let missing: SyntheticReport[];
  let found: SyntheticReport[];
  let truth: TruthRow[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'khoj-synth-'));
    await writeBenchmark(dir, { seed: 1, missing: 3_000, found: 1_000 });
    const lines = async (name: string) =>
      (await readFile(join(dir, name), 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line));
    [missing, found, truth] = await Promise.all([
      lines('missing.jsonl'),
      lines('found.jsonl'),
      lines('truth.jsonl'),
    ]);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(['missing', 'found'] as const)(
    '%s.jsonl: every line is a valid interchange record, already normalised',
    async (kind) => {
      const written = kind === 'missing' ? missing : found;
      let rows = 0;
      for await (const row of readInterchange(createReadStream(join(dir, `${kind}.jsonl`)), 'jsonl')) {
        expect(row.errors).toBeUndefined();
        expect(row.record?.kind).toBe(kind);
        // The reader's canonical form is what we wrote: nothing to trim, normalise or drop.
        expect(row.record).toEqual(written[row.line - 1]);
        rows++;
      }
      expect(rows).toBe(written.length);
    },
  );

  it('has one truth row per found report, naming missing reports that exist', () => {
    const missingIds = new Set(missing.map((report) => report.id));
    expect(missingIds.size).toBe(missing.length);
    expect(truth.map((row) => row.foundId)).toEqual(found.map((report) => report.id));
    for (const row of truth) if (row.missingId !== null) expect(missingIds.has(row.missingId)).toBe(true);
  });

  it('covers India, Bangladesh and Nepal with children aged 3 to 17', () => {
    expect(new Set(missing.map((report) => report.country))).toEqual(new Set(['IN', 'BD', 'NP']));
    for (const report of missing) {
      const age = report.ageYears ?? report.ageEstimateMin;
      expect(age).toBeGreaterThanOrEqual(2);
      expect(age).toBeLessThanOrEqual(18);
    }
  });

  it('is hard in the intended ways: scripts, shortened and missing names, moves, look-alikes', () => {
    const byId = new Map(missing.map((report) => [report.id, report]));
    const pairs = truth.flatMap((row, index) => {
      const report = byId.get(row.missingId ?? '');
      return report ? [{ found: found[index] as SyntheticReport, missing: report }] : [];
    });
    const share = (test: (pair: (typeof pairs)[number]) => boolean) =>
      pairs.filter(test).length / pairs.length;
    const nonLatin = (name?: string) => name !== undefined && /[\u0980-\u09ff\u0900-\u097f]/.test(name);

    // An exact name match is the exception, not the rule.
    expect(share((pair) => pair.found.name?.toLowerCase() === pair.missing.name?.toLowerCase())).toBeLessThan(
      0.35,
    );
    // Names cross scripts: Bengali or Devanagari on one side, Latin on the other.
    expect(share((pair) => nonLatin(pair.found.name) !== nonLatin(pair.missing.name))).toBeGreaterThan(0.2);
    expect(share((pair) => pair.found.name === undefined)).toBeGreaterThan(0.02);
    expect(share((pair) => pair.found.district !== pair.missing.district)).toBeGreaterThan(0.3);
    expect(share((pair) => pair.found.country !== pair.missing.country)).toBeGreaterThan(0.03);
    // Mostly found after going missing, with estimated (not exact) ages.
    expect(share((pair) => pair.found.eventDate >= pair.missing.eventDate)).toBe(1);
    expect(share((pair) => pair.found.ageEstimateMin !== undefined)).toBeGreaterThan(0.6);

    // Common names recur within a district: the look-alikes the engine has to tell apart.
    const sameNameAndPlace = new Map<string, number>();
    for (const report of missing) {
      const key = `${report.district}/${report.name?.toLowerCase()}`;
      sameNameAndPlace.set(key, (sameNameAndPlace.get(key) ?? 0) + 1);
    }
    expect([...sameNameAndPlace.values()].filter((count) => count > 1).length).toBeGreaterThan(20);
    // Some found children with no missing report share a missing child's name and district,
    // and some of those were found before that child went missing.
    const missingByNameAndPlace = new Map(
      missing.map((report) => [`${report.district}/${report.name}`, report]),
    );
    const namesakes = truth.flatMap((row, index) => {
      const report = found[index] as SyntheticReport;
      const namesake = missingByNameAndPlace.get(`${report.district}/${report.name}`);
      return row.missingId === null && report.name !== undefined && namesake ? [{ report, namesake }] : [];
    });
    expect(namesakes.length).toBeGreaterThanOrEqual(5);
    expect(namesakes.some(({ report, namesake }) => report.eventDate < namesake.eventDate)).toBe(true);
  });
});
