// Scoring a matcher's candidates against a benchmark's truth: how often the true missing report
// is ranked first / in the top 5 / top 10, the mean reciprocal rank, precision, recall and F1 of
// the pairs put up for review, and how often a found child with no missing report raises an alert.
// Pure functions; the command reads the files.

/** One line of a candidates file: a missing report proposed for a found report. */
export interface Candidate {
  readonly foundId: string;
  readonly missingId: string;
  /** Match probability, 0..1. */
  readonly score: number;
  readonly explanation?: string;
}

/** One line of truth.jsonl. */
export interface TruthRow {
  readonly foundId: string;
  readonly missingId: string | null;
}

export interface EvaluationInput {
  readonly candidates: Iterable<Candidate>;
  readonly truth: Iterable<TruthRow>;
  /** Candidates with score ≥ this are put to an officer for review. */
  readonly reviewThreshold: number;
  /** A top candidate with score ≥ this alerts the case owner. */
  readonly alertThreshold: number;
}

export interface Evaluation {
  readonly foundReports: number;
  /** Found reports whose child has a missing report (the denominator of recall@k and MRR). */
  readonly withTrueMatch: number;
  readonly withoutTrueMatch: number;
  readonly candidates: number;
  readonly recallAt1: number;
  readonly recallAt5: number;
  readonly recallAt10: number;
  readonly meanReciprocalRank: number;
  readonly reviewThreshold: number;
  readonly predicted: number;
  readonly truePositives: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly alertThreshold: number;
  /** Found reports without a true match whose top candidate scores ≥ the alert threshold. */
  readonly falseAlerts: number;
  readonly falseAlertShare: number;
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

export function evaluateCandidates(input: EvaluationInput): Evaluation {
  const { reviewThreshold, alertThreshold } = input;
  const truth = new Map<string, string | null>();
  for (const row of input.truth) {
    if (truth.has(row.foundId)) throw new Error(`truth names found report ${row.foundId} twice`);
    truth.set(row.foundId, row.missingId);
  }

  const listed = new Map<string, Candidate[]>();
  let candidateCount = 0;
  let predicted = 0;
  let truePositives = 0;
  for (const candidate of input.candidates) {
    if (!truth.has(candidate.foundId)) {
      throw new Error(`candidate for found report ${candidate.foundId}, which the truth file does not list`);
    }
    candidateCount++;
    const list = listed.get(candidate.foundId);
    if (list) list.push(candidate);
    else listed.set(candidate.foundId, [candidate]);
    if (candidate.score >= reviewThreshold) {
      predicted++;
      if (truth.get(candidate.foundId) === candidate.missingId) truePositives++;
    }
  }

  let withTrueMatch = 0;
  let at1 = 0;
  let at5 = 0;
  let at10 = 0;
  let reciprocalRanks = 0;
  let falseAlerts = 0;
  for (const [foundId, missingId] of truth) {
    // Best first; a stable sort keeps the file's order among equal scores.
    const ranked = (listed.get(foundId) ?? []).slice().sort((a, b) => b.score - a.score);
    if (missingId === null) {
      const top = ranked[0];
      if (top && top.score >= alertThreshold) falseAlerts++;
      continue;
    }
    withTrueMatch++;
    const rank = ranked.findIndex((candidate) => candidate.missingId === missingId) + 1;
    if (rank === 0) continue;
    if (rank <= 1) at1++;
    if (rank <= 5) at5++;
    if (rank <= 10) at10++;
    reciprocalRanks += 1 / rank;
  }
  const withoutTrueMatch = truth.size - withTrueMatch;
  const precision = ratio(truePositives, predicted);
  const recall = ratio(truePositives, withTrueMatch);
  return {
    foundReports: truth.size,
    withTrueMatch,
    withoutTrueMatch,
    candidates: candidateCount,
    recallAt1: ratio(at1, withTrueMatch),
    recallAt5: ratio(at5, withTrueMatch),
    recallAt10: ratio(at10, withTrueMatch),
    meanReciprocalRank: ratio(reciprocalRanks, withTrueMatch),
    reviewThreshold,
    predicted,
    truePositives,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    alertThreshold,
    falseAlerts,
    falseAlertShare: ratio(falseAlerts, withoutTrueMatch),
  };
}

/** A plain-text table of the evaluation for a terminal or a benchmark log. */
export function formatEvaluation(evaluation: Evaluation): string {
  const share = (value: number) => value.toFixed(3);
  const rows: [string, string][] = [
    ['found reports', `${evaluation.foundReports} (${evaluation.withTrueMatch} with a true match)`],
    ['candidates', String(evaluation.candidates)],
    ['recall@1', share(evaluation.recallAt1)],
    ['recall@5', share(evaluation.recallAt5)],
    ['recall@10', share(evaluation.recallAt10)],
    ['mean reciprocal rank', share(evaluation.meanReciprocalRank)],
    [
      `precision (score ≥ ${evaluation.reviewThreshold})`,
      `${share(evaluation.precision)} (${evaluation.truePositives} of ${evaluation.predicted})`,
    ],
    [`recall (score ≥ ${evaluation.reviewThreshold})`, share(evaluation.recall)],
    [`F1 (score ≥ ${evaluation.reviewThreshold})`, share(evaluation.f1)],
    [
      `false alerts (top ≥ ${evaluation.alertThreshold})`,
      `${share(evaluation.falseAlertShare)} (${evaluation.falseAlerts} of ${evaluation.withoutTrueMatch} with no true match)`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}
