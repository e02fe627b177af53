// `khoj match …`: the matching engine from the command line. `run` matches two interchange files
// in memory; `train` estimates a node's model parameters from its own reports
// (and officers' decisions) and stores them for its matcher; `evaluate` and `baseline` (the
// benchmark's, in their own files) score candidate files against a truth file.
import { CLI_ACTOR, matching, openNodeStore } from '@khoj/node';
import { type Command, InvalidArgumentError } from 'commander';
import { federationLayout } from '../federation/layout.ts';
import { registerBaselineCommand } from './baseline-command.ts';
import { registerEvaluateCommand } from './evaluate-command.ts';
import { runMatch } from './run.ts';

const probability = (value: string) => {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 1)
    throw new InvalidArgumentError('a probability between 0 and 1');
  return parsed;
};
const positive = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return parsed;
};

export function registerMatchCommand(program: Command, home: () => string): Command {
  const match = program.command('match').description('the matching engine: find the child');

  match
    .command('run')
    .description(
      'match found reports against missing reports (interchange files), in memory; ' +
        'writes {"foundId","missingId","score","explanation"} per line, best first',
    )
    .requiredOption('--missing <file>', 'missing reports (.jsonl or .csv)')
    .requiredOption('--found <file>', 'found reports (.jsonl or .csv)')
    .requiredOption('--out <file>', 'where to write the candidates (JSON lines)')
    .option('--review <probability>', 'write only candidates with at least this probability', probability)
    .option('--top <n>', 'candidates per found report', positive, 10)
    .action(
      async (options: { missing: string; found: string; out: string; review?: number; top: number }) => {
        const summary = await runMatch({ ...options, log: (message) => console.error(message) });
        const s = summary.seconds;
        console.log(
          `${summary.candidates} candidates for ${summary.found} found reports against ${summary.missing} missing ` +
            `(${summary.blockedPairs} blocked pairs, ${summary.parameters === 'em' ? 'EM' : 'default'} parameters) ` +
            `in ${s.total.toFixed(1)} s [read ${s.read.toFixed(1)}, ` +
            `block ${s.block.toFixed(1)}, train ${s.train.toFixed(1)}, score ${s.score.toFixed(1)}] → ${options.out}`,
        );
        if (summary.invalid > 0) {
          console.error(`${summary.invalid} invalid lines were skipped`);
          process.exitCode = 3;
        }
      },
    );

  match
    .command('train <nodeId>')
    .description(
      "estimate the node's match parameters (EM over its blocked pairs, or its officers' decisions)",
    )
    .option('--pairs <n>', 'blocked pairs to learn from', positive, 20_000)
    .action(async (nodeId: string, options: { pairs: number }) => {
      const store = await openNodeStore(federationLayout(home()).node(nodeId).home, process.env.DATABASE_URL);
      try {
        const result = await matching.trainParameters(store.db, {
          pairs: options.pairs,
          createdBy: CLI_ACTOR,
        });
        if (!result.stored) {
          console.error(`nothing stored: ${result.reason}`);
          process.exitCode = 4;
          return;
        }
        console.log(
          `stored parameters learnt from ${result.pairs} ${result.source === 'em' ? 'blocked pairs (EM)' : "officers' decisions"}; ` +
            `prior ${result.parameters.priorMatchProbability.toPrecision(3)}`,
        );
      } finally {
        await store.close();
      }
    });

  registerEvaluateCommand(match);
  registerBaselineCommand(match);
  return match;
}
