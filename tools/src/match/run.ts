// `khoj match run`: the matching engine over two interchange files, in memory (nothing of the
// reports is stored, so nothing is left on disk). Two worker threads read both files, each
// preparing the profiles of half the lines (from the lines themselves, which say more than a
// case holds, such as a found child's guardian) and computing their blocking keys with the
// node's own key rules; this thread blocks every found report against the missing reports with
// the node's blocking caps (blockInMemory: the candidates the node's blocking query would give by
// its key rules); the model's parameters are estimated by EM over a sample of the blocked pairs
// (and kept only when plausible); and the threads score every blocked pair. A line's side is its
// `kind`; the same `id` in both files stays two reports, and an `id` repeated in one file keeps
// its first line (as an import would). Output: one JSON line per candidate,
// {"foundId","missingId","score","explanation"} with the files' ids, best first, at most `top`
// per found report.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { matching } from '@khoj/node';
import type { WorkerInput, WorkerReply, WorkerRequest, WrittenLine } from './run-worker.ts';

export type MatchRunOptions = {
  missing: string;
  found: string;
  out: string;
  /** Write only candidates with at least this probability (default: the `top` best, whatever their score). */
  review?: number | undefined;
  /** Candidates per found report (default 10). */
  top?: number;
  /** Blocked pairs EM learns from (default 10,000). */
  trainingPairs?: number;
  log?: (message: string) => void;
};

export type MatchRunSummary = {
  missing: number;
  found: number;
  invalid: number;
  blockedPairs: number;
  candidates: number;
  parameters: 'em' | 'default';
  /** read: files read, profiles prepared and keyed (both threads); score: scored and written. */
  seconds: Record<'read' | 'block' | 'train' | 'score' | 'total', number>;
};

const SCORING_THREADS = 2;
/** Random missing × found pairs u is counted over. */
const RANDOM_PAIRS = 5_000;

export async function runMatch(options: MatchRunOptions): Promise<MatchRunSummary> {
  const log = options.log ?? (() => undefined);
  const top = options.top ?? 10;
  for (const path of [options.missing, options.found]) {
    await access(path).catch(() => {
      throw new Error(`cannot read ${path}: no such file, or not readable`);
    });
  }
  const started = performance.now();
  const seconds = { read: 0, block: 0, train: 0, score: 0, total: 0 };
  let last = started;
  const lap = (phase: keyof typeof seconds) => {
    const now = performance.now();
    seconds[phase] = (now - last) / 1000;
    last = now;
  };

  const threads = Array.from(
    { length: SCORING_THREADS },
    (_, share) =>
      new ScoringThread({ missing: options.missing, found: options.found, share, shares: SCORING_THREADS }),
  );
  try {
    const ready = await Promise.all(threads.map((thread) => thread.ready));
    let invalid = 0;
    for (const file of ready[0]?.invalid ?? []) {
      invalid += file.errors.length;
      for (const errors of file.errors) {
        for (const error of errors) log(`${file.path} line ${error.row}: ${error.field}: ${error.reason}`);
      }
    }
    const counts = ready[0]?.counts ?? { missing: 0, found: 0 };
    const nameKeyCounts = new Map<string, number>();
    for (const reply of ready) {
      for (const [key, count] of reply.nameKeys)
        nameKeyCounts.set(key, (nameKeyCounts.get(key) ?? 0) + count);
    }
    const nameKeys = { counts: [...nameKeyCounts], reports: counts.missing + counts.found };
    const reports = ready.flatMap((reply) => reply.reports);
    const lineNumbers = new Map<string, number>();
    for (const reply of ready) {
      reply.reports.forEach((report, i) => {
        lineNumbers.set(report.ref, reply.lineNumbers[i] as number);
      });
    }
    lap('read');

    const probes = [...matching.blockInMemory(reports, 'found')];
    const pairCount = probes.reduce((sum, [, candidates]) => sum + candidates.length, 0);
    lap('block');
    log(`${pairCount} blocked pairs for ${probes.length} found reports`);

    const { parameters, source } = await train(threads, probes, pairCount, reports, {
      wanted: options.trainingPairs ?? 10_000,
      log,
    });
    lap('train');

    const lines = (
      await Promise.all(
        threads.map((thread, t) => {
          const share = numberedProbes(
            probes.filter((_, i) => i % threads.length === t),
            lineNumbers,
          );
          return thread.request(
            { type: 'score', nameKeys, parameters, top, review: options.review, probes: share },
            [share.buffer],
          );
        }),
      )
    ).flatMap((reply) => (reply.type === 'scored' ? reply.lines : []));
    lines.sort((a, b) => b.score - a.score);
    await writeLines(options.out, lines);
    lap('score');
    seconds.total = (performance.now() - started) / 1000;
    return {
      missing: counts.missing,
      found: counts.found,
      invalid,
      blockedPairs: pairCount,
      candidates: lines.length,
      parameters: source,
      seconds,
    };
  } finally {
    await Promise.all(threads.map((thread) => thread.stop()));
  }
}

/**
 * EM over an even sample of the blocked pairs, with u from random missing × found pairs; kept
 * only when plausible (see plausibleEstimate), else the engine's defaults.
 */
async function train(
  threads: readonly ScoringThread[],
  probes: readonly [string, string[]][],
  pairCount: number,
  reports: readonly matching.KeyedReport[],
  options: { wanted: number; log: (message: string) => void },
): Promise<{ parameters: matching.ModelParameters; source: 'em' | 'default' }> {
  const step = Math.max(1, Math.floor(pairCount / options.wanted));
  const sample: [string, string][] = [];
  let i = 0;
  for (const [probe, candidates] of probes) {
    for (const candidate of candidates) if (i++ % step === 0) sample.push([probe, candidate]);
  }
  const missing = reports.filter((report) => report.side === 'missing').map((report) => report.ref);
  const found = reports.filter((report) => report.side === 'found').map((report) => report.ref);
  const random: [string, string][] = [];
  // A fixed stride through both sides: reproducible, and as good as random for u.
  for (let r = 0; r < RANDOM_PAIRS && missing.length > 0 && found.length > 0; r++) {
    random.push([
      missing[(r * 7_919) % missing.length] as string,
      found[(r * 104_729) % found.length] as string,
    ]);
  }
  // One thread compares the blocked pairs, the other the random ones.
  const [blocked, chance] = await Promise.all([
    (threads[0] as ScoringThread).request({ type: 'compare', pairs: sample }),
    (threads.at(-1) as ScoringThread).request({ type: 'compare', pairs: random }),
  ]);
  if (blocked.type !== 'compared' || chance.type !== 'compared' || blocked.vectors.length === 0)
    return { parameters: matching.DEFAULT_PARAMETERS, source: 'default' };
  // The counts set the prior's floor: a sample of a few thousand pairs holds too few same-child
  // pairs for EM to pin the prior down on its own.
  const { parameters } = matching.estimateFromPairs(blocked.vectors, chance.vectors, {
    probes: probes.length,
    pairs: pairCount,
  });
  if (matching.plausibleEstimate(parameters, probes.length, pairCount)) return { parameters, source: 'em' };
  options.log(
    `EM settled on ${(parameters.priorMatchProbability * 100).toFixed(1)}% same-child pairs, more than there can be ` +
      `(${((probes.length / pairCount) * 100).toFixed(1)}%): scoring with the engine's default parameters`,
  );
  return { parameters: matching.DEFAULT_PARAMETERS, source: 'default' };
}

/** Probes and their candidates as line numbers, flat (the `score` request's form). */
function numberedProbes(
  probes: readonly [string, string[]][],
  lineNumbers: ReadonlyMap<string, number>,
): Int32Array<ArrayBuffer> {
  const flat = new Int32Array(probes.reduce((sum, [, candidates]) => sum + 2 + candidates.length, 0));
  let at = 0;
  const numberOf = (ref: string) => {
    const number = lineNumbers.get(ref);
    if (number === undefined) throw new Error(`blocked report ${ref} was not keyed by a scoring thread`);
    return number;
  };
  for (const [probe, candidates] of probes) {
    flat[at++] = numberOf(probe);
    flat[at++] = candidates.length;
    for (const candidate of candidates) flat[at++] = numberOf(candidate);
  }
  return flat;
}

/** One worker thread (run-worker.ts), its requests answered in order. */
class ScoringThread {
  readonly ready: Promise<Extract<WorkerReply, { type: 'ready' }>>;
  private readonly worker: Worker;
  private readonly waiting: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }[] = [];

  constructor(input: WorkerInput) {
    this.worker = new Worker(new URL('./run-worker.ts', import.meta.url), { workerData: input });
    let settle: {
      resolve: (ready: Extract<WorkerReply, { type: 'ready' }>) => void;
      reject: (error: Error) => void;
    };
    this.ready = new Promise((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Unhandled until awaited: a failure before then must not crash the process on its own.
    this.ready.catch(() => undefined);
    this.worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') return settle.resolve(reply);
      const next = this.waiting.shift();
      if (reply.type === 'failed') {
        const error = new Error(`scoring thread: ${reply.message}`);
        if (next) next.reject(error);
        else settle.reject(error);
        return;
      }
      next?.resolve(reply);
    });
    this.worker.on('error', (error) => {
      settle.reject(error);
      for (const entry of this.waiting.splice(0)) entry.reject(error);
    });
  }

  /** `transfer`: buffers of the message handed over rather than copied. */
  request(message: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message, transfer);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

async function writeLines(path: string, lines: readonly WrittenLine[]): Promise<void> {
  const out = createWriteStream(path, { mode: 0o600 });
  for (const line of lines) {
    if (!out.write(`${line.json}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
