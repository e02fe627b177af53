// `khoj synth`: writes a synthetic matching benchmark — missing.jsonl, found.jsonl (interchange
// format) and truth.jsonl — streaming, so a million reports never sit in memory at once.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { type BenchmarkOptions, generateBenchmark } from './generate.ts';

export interface BenchmarkFiles {
  readonly missing: string;
  readonly found: string;
  readonly truth: string;
}

export interface WriteSummary {
  readonly files: BenchmarkFiles;
  readonly missing: number;
  readonly found: number;
  readonly matched: number;
  readonly seconds: number;
}

/** Writes lines to `path`, batched, waiting whenever the file stream's buffer is full. */
async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => {});
  let batch = '';
  const flush = async () => {
    if (batch === '') return;
    const ok = stream.write(batch);
    batch = '';
    if (!ok) await Promise.race([once(stream, 'drain'), failed]);
  };
  for (const line of lines) {
    batch += `${line}\n`;
    if (batch.length >= 1 << 16) await flush();
  }
  await flush();
  stream.end();
  await Promise.race([once(stream, 'finish'), failed]);
}

function* map<T, U>(items: Iterable<T>, transform: (item: T) => U): Generator<U> {
  for (const item of items) yield transform(item);
}

export async function writeBenchmark(dir: string, options: BenchmarkOptions): Promise<WriteSummary> {
  const started = performance.now();
  const benchmark = generateBenchmark(options);
  await mkdir(dir, { recursive: true });
  const files = {
    missing: join(dir, 'missing.jsonl'),
    found: join(dir, 'found.jsonl'),
    truth: join(dir, 'truth.jsonl'),
  };
  await writeLines(
    files.missing,
    map(benchmark.missing, (report) => JSON.stringify(report)),
  );
  await writeLines(
    files.found,
    map(benchmark.found, (report) => JSON.stringify(report)),
  );
  let matched = 0;
  await writeLines(
    files.truth,
    map(benchmark.truth, (row) => {
      if (row.missingId !== null) matched++;
      return JSON.stringify(row);
    }),
  );
  return {
    files,
    missing: options.missing,
    found: options.found,
    matched,
    seconds: (performance.now() - started) / 1000,
  };
}

const wholeNumber = (what: string) => (value: string) => {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed)) {
    throw new InvalidArgumentError(`${what} must be a whole number ≥ 0`);
  }
  return parsed;
};

const share = (value: string) => {
  const parsed = Number(value);
  if (value.trim() === '' || !(parsed >= 0 && parsed <= 1))
    throw new InvalidArgumentError('must be between 0 and 1');
  return parsed;
};

export function registerSynthCommand(program: Command): void {
  program
    .command('synth')
    .description('write a synthetic matching benchmark: missing.jsonl, found.jsonl and truth.jsonl')
    .requiredOption(
      '--seed <n>',
      'random seed (the same seed writes the same files)',
      wholeNumber('the seed'),
    )
    .requiredOption('--missing <n>', 'number of missing-child reports', wholeNumber('--missing'))
    .requiredOption('--found <n>', 'number of found-child reports', wholeNumber('--found'))
    .requiredOption('--out <dir>', 'directory to write the three files into')
    .option('--matched-share <share>', 'share of found reports that have a true missing report', share, 0.7)
    .action(
      async (options: {
        seed: number;
        missing: number;
        found: number;
        out: string;
        matchedShare: number;
      }) => {
        const summary = await writeBenchmark(options.out, {
          seed: options.seed,
          missing: options.missing,
          found: options.found,
          matchedShare: options.matchedShare,
        });
        console.log(
          `wrote ${summary.missing} missing and ${summary.found} found reports (${summary.matched} with a true match) ` +
            `to ${options.out} in ${summary.seconds.toFixed(1)} s`,
        );
      },
    );
}
