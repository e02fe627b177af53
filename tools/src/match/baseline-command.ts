// `khoj match baseline`: runs a naive matcher (exact or fuzzy Latin names) over a benchmark's
// missing and found files and writes candidates in the format `khoj match evaluate` reads.
import { createReadStream } from 'node:fs';
import { type Command, Option } from 'commander';
import { readInterchange } from '../../../nodes/src/interchange/index.ts';
import { type BaselineKind, type BaselineReport, baseline } from './baselines.ts';
import { writeJsonLines } from './candidate-files.ts';
import type { Candidate } from './evaluate.ts';

/** The reports of an interchange JSONL file of one kind; the first invalid row stops the run. */
async function* reportsOf(path: string, kind: 'missing' | 'found'): AsyncGenerator<BaselineReport> {
  for await (const row of readInterchange(createReadStream(path), 'jsonl')) {
    if (row.errors) {
      const [first] = row.errors;
      throw new Error(
        `${path} line ${row.line}: ${first ? `${first.field}: ${first.reason}` : 'invalid row'}`,
      );
    }
    if (row.record.kind !== kind) {
      throw new Error(`${path} line ${row.line}: a ${row.record.kind} report in the file of ${kind} reports`);
    }
    yield row.record;
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export interface BaselineRun {
  readonly missing: number;
  readonly found: number;
  readonly candidates: number;
  readonly seconds: number;
}

export async function runBaseline(
  kind: BaselineKind,
  files: { missing: string; found: string; out: string },
): Promise<BaselineRun> {
  const started = performance.now();
  const missing = await collect(reportsOf(files.missing, 'missing'));
  const matcher = baseline(kind, missing);
  let found = 0;
  async function* candidates(): AsyncGenerator<Candidate> {
    for await (const report of reportsOf(files.found, 'found')) {
      found++;
      yield* matcher.candidatesFor(report);
    }
  }
  const written = await writeJsonLines(files.out, candidates());
  return {
    missing: missing.length,
    found,
    candidates: written,
    seconds: (performance.now() - started) / 1000,
  };
}

export function registerBaselineCommand(matchCommand: Command): void {
  matchCommand
    .command('baseline')
    .description('write candidates from a naive matcher (exact or fuzzy Latin names) for comparison')
    .addOption(
      new Option('--kind <kind>', 'which baseline').choices(['exact', 'fuzzy']).makeOptionMandatory(),
    )
    .requiredOption('--missing <file>', 'missing reports (interchange JSONL)')
    .requiredOption('--found <file>', 'found reports (interchange JSONL)')
    .requiredOption('--out <file>', 'where to write the candidates (JSONL)')
    .action(async (options: { kind: BaselineKind; missing: string; found: string; out: string }) => {
      const run = await runBaseline(options.kind, options);
      console.log(
        `${options.kind} baseline: ${run.candidates} candidates for ${run.found} found reports against ` +
          `${run.missing} missing reports in ${run.seconds.toFixed(1)} s → ${options.out}`,
      );
    });
}
