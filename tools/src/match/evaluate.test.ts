// The benchmark metrics on a small hand-made case whose every number is worked out by hand.
import { describe, expect, it } from 'vitest';
import { type Candidate, evaluateCandidates, formatEvaluation, type TruthRow } from './evaluate.ts';

const truth: TruthRow[] = [
  { foundId: 'f1', missingId: 'm1' },
  { foundId: 'f2', missingId: 'm2' },
  { foundId: 'f3', missingId: 'm3' },
  { foundId: 'f4', missingId: null },
  { foundId: 'f5', missingId: null },
];

const candidates: Candidate[] = [
  // f1: true match first.
  { foundId: 'f1', missingId: 'm1', score: 0.95 },
  { foundId: 'f1', missingId: 'm9', score: 0.4 },
  // f2: true match third — listed out of order on purpose; ranks follow the scores.
  { foundId: 'f2', missingId: 'm2', score: 0.55 },
  { foundId: 'f2', missingId: 'm7', score: 0.8 },
  { foundId: 'f2', missingId: 'm8', score: 0.6 },
  // f3: true match absent.
  { foundId: 'f3', missingId: 'm5', score: 0.3 },
  // f4 has no true match but its top candidate is above the alert threshold; f5 stays below.
  { foundId: 'f4', missingId: 'm1', score: 0.92 },
  { foundId: 'f5', missingId: 'm6', score: 0.85 },
];

describe('evaluateCandidates', () => {
  const evaluation = evaluateCandidates({ candidates, truth, reviewThreshold: 0.5, alertThreshold: 0.9 });

  it('counts found reports with and without a true match', () => {
    expect(evaluation).toMatchObject({
      foundReports: 5,
      withTrueMatch: 3,
      withoutTrueMatch: 2,
      candidates: 8,
    });
  });

  it('recall@k over found reports with a true match', () => {
    expect(evaluation.recallAt1).toBeCloseTo(1 / 3);
    expect(evaluation.recallAt5).toBeCloseTo(2 / 3);
    expect(evaluation.recallAt10).toBeCloseTo(2 / 3);
  });

  it('mean reciprocal rank: (1 + 1/3 + 0) / 3', () => {
    expect(evaluation.meanReciprocalRank).toBeCloseTo(4 / 9);
  });

  it('precision, recall and F1 of the pairs at or above the review threshold', () => {
    // Predicted: f1-m1, f2-m7, f2-m8, f2-m2, f4-m1, f5-m6; true among them: f1-m1, f2-m2.
    expect(evaluation).toMatchObject({ predicted: 6, truePositives: 2 });
    expect(evaluation.precision).toBeCloseTo(1 / 3);
    expect(evaluation.recall).toBeCloseTo(2 / 3);
    expect(evaluation.f1).toBeCloseTo(4 / 9);
  });

  it('false alerts: found reports with no true match whose top candidate reaches the alert threshold', () => {
    expect(evaluation.falseAlerts).toBe(1);
    expect(evaluation.falseAlertShare).toBeCloseTo(1 / 2);
    const stricter = evaluateCandidates({ candidates, truth, reviewThreshold: 0.5, alertThreshold: 0.95 });
    expect(stricter.falseAlerts).toBe(0);
    const looser = evaluateCandidates({ candidates, truth, reviewThreshold: 0.5, alertThreshold: 0.85 });
    expect(looser.falseAlerts).toBe(2);
  });

  it('a higher review threshold trades recall for precision', () => {
    const strict = evaluateCandidates({ candidates, truth, reviewThreshold: 0.9, alertThreshold: 0.9 });
    expect(strict).toMatchObject({ predicted: 2, truePositives: 1 });
    expect(strict.precision).toBeCloseTo(1 / 2);
    expect(strict.recall).toBeCloseTo(1 / 3);
  });

  it('no candidates at all: every metric is zero, nothing divides by zero', () => {
    const empty = evaluateCandidates({ candidates: [], truth, reviewThreshold: 0.5, alertThreshold: 0.9 });
    expect(empty).toMatchObject({
      recallAt1: 0,
      recallAt10: 0,
      meanReciprocalRank: 0,
      precision: 0,
      recall: 0,
      f1: 0,
      falseAlertShare: 0,
    });
  });

  it('refuses candidates for a found report the truth does not list, and duplicate truth rows', () => {
    expect(() =>
      evaluateCandidates({
        candidates: [{ foundId: 'f9', missingId: 'm1', score: 1 }],
        truth,
        reviewThreshold: 0.5,
        alertThreshold: 0.9,
      }),
    ).toThrow(/f9/);
    expect(() =>
      evaluateCandidates({
        candidates: [],
        truth: [...truth, truth[0] as TruthRow],
        reviewThreshold: 0.5,
        alertThreshold: 0.9,
      }),
    ).toThrow(/f1 twice/);
  });

  it('formats a readable table', () => {
    const table = formatEvaluation(evaluation);
    expect(table).toContain('recall@1');
    expect(table).toMatch(/recall@10\s+0\.667/);
    expect(table).toMatch(/mean reciprocal rank\s+0\.444/);
    expect(table).toMatch(/false alerts \(top ≥ 0\.9\)\s+0\.500 \(1 of 2 with no true match\)/);
  });
});
