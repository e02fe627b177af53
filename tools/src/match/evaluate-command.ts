// `khoj match evaluate`: scores a candidates file against a benchmark's truth file and prints
// recall@k, MRR, precision/recall/F1 at the review threshold and the false-alert share.
import { type Command, InvalidArgumentError } from 'commander';
import { readCandidates, readTruth } from './candidate-files.ts';
import { evaluateCandidates, formatEvaluation } from './evaluate.ts';

export const threshold = (value: string) => {
  const parsed = Number(value);
  if (value.trim() === '' || !(parsed >= 0 && parsed <= 1))
    throw new InvalidArgumentError('must be a number from 0 to 1');
  return parsed;
};

export function registerEvaluateCommand(matchCommand: Command): void {
  matchCommand
    .command('evaluate')
    .description(
      'score a candidates file against a benchmark truth file (recall@k, MRR, precision, false alerts)',
    )
    .requiredOption(
      '--candidates <file>',
      'candidates JSONL: {"foundId","missingId","score","explanation"} per line',
    )
    .requiredOption(
      '--truth <file>',
      'truth JSONL written by `khoj synth`: {"foundId","missingId"|null} per line',
    )
    .option('--review <score>', 'candidates scoring at least this go to review', threshold, 0.5)
    .option('--alert <score>', 'a top candidate scoring at least this raises an alert', threshold, 0.9)
    .option('--json', 'print the numbers as JSON')
    .action(
      async (options: {
        candidates: string;
        truth: string;
        review: number;
        alert: number;
        json?: boolean;
      }) => {
        const [candidates, truth] = await Promise.all([
          readCandidates(options.candidates),
          readTruth(options.truth),
        ]);
        const evaluation = evaluateCandidates({
          candidates,
          truth,
          reviewThreshold: options.review,
          alertThreshold: options.alert,
        });
        console.log(options.json ? JSON.stringify(evaluation, null, 2) : formatEvaluation(evaluation));
      },
    );
}
