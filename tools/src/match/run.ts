// `khoj match run`: the matching engine over two interchange files, on a throwaway embedded node
// that lives in memory only (nothing of the reports is left on disk). Both files are imported
// with the node's own import code (each into its own unit, so the same `id` in both files stays
// two reports); the blocking keys of every report go into the node's match_keys; every found
// report is blocked against the missing reports in the database, in one set-based query; the
// model's parameters are estimated by EM over a sample of the blocked pairs (and kept only when
// plausible); and every blocked pair is scored. Two worker threads prepare the profiles (from
// the files' lines, which say more than a case holds, such as a found child's guardian) while
// the main thread imports, and then score. Output: one JSON line per candidate,
// {"foundId","missingId","score","explanation"} with the files' ids, best first, at most `top`
// per found report.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { importFile, insertUnit, matching } from '@khoj/node';
import { sql } from 'drizzle-orm';
import type { KeyRowByRef, ScoredLine, WorkerInput, WorkerReply, WorkerRequest } from './run-worker.ts';

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
  seconds: Record<'import' | 'keys' | 'block' | 'train' | 'score' | 'total', number>;
};

const RUN_ACTOR = 'khoj match run';
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
  const seconds = { import: 0, keys: 0, block: 0, train: 0, score: 0, total: 0 };
  let last = started;
  const lap = (phase: keyof typeof seconds) => {
    const now = performance.now();
    seconds[phase] = (now - last) / 1000;
    last = now;
  };

  const threads = Array.from(
    { length: SCORING_THREADS },
    (_, i) => new ScoringThread({ missing: options.missing, found: options.found, keys: i === 0 }),
  );
  const store = await matching.openThrowawayStore();
  try {
    const { db } = store;
    let invalid = 0;
    const importFrom = async (tag: 'm' | 'f', path: string) => {
      const unit = await insertUnit(db, {
        name: `reports of ${path}`,
        type: 'police_station',
        country: 'IN',
        phones: [],
        emails: [],
        active: true,
      });
      await importFile(db, path, {
        ownerUnitId: unit.id,
        importedBy: RUN_ACTOR,
        onErrors: (errors) => {
          invalid += 1;
          for (const error of errors) log(`${path} line ${error.row}: ${error.field}: ${error.reason}`);
        },
      });
      return [unit.id, tag] as const;
    };
    const tagOfUnit = new Map([await importFrom('m', options.missing), await importFrom('f', options.found)]);
    // The node's case id of each line (`m:<id>` / `f:<id>`), and back.
    const rows = rowsOf<{ id: string; unit: string; ref: string; kind: 'missing' | 'found' }>(
      await db.execute(sql`select id, owner_unit_id as unit, external_ref as ref, kind from cases`),
    );
    const caseOf = new Map<string, string>();
    const refOf = new Map<string, string>();
    for (const row of rows) {
      const ref = `${tagOfUnit.get(row.unit)}:${row.ref}`;
      caseOf.set(ref, row.id);
      refOf.set(row.id, ref);
    }
    const foundCount = rows.filter((row) => row.kind === 'found').length;
    lap('import');

    const [ready] = await Promise.all(threads.map((thread) => thread.ready));
    const nameKeys = { counts: ready?.nameKeys ?? [], reports: caseOf.size };
    await matching.prepareBulkLoad(db);
    await db.transaction(async (tx) => {
      await matching.insertKeys(
        tx,
        (ready?.keys ?? []).flatMap((key: KeyRowByRef) => {
          const caseId = caseOf.get(key.ref);
          return caseId ? [{ caseId, side: key.side, rule: key.rule, key: key.key, birth: key.birth }] : [];
        }),
      );
    });
    await db.execute(sql`analyze match_keys`);
    lap('keys');

    const blocked = await matching.blockSide(db, 'found');
    const probes: [string, string[]][] = [];
    let pairCount = 0;
    for (const [probe, candidates] of blocked) {
      const refs = candidates.flatMap((id) => refOf.get(id) ?? []);
      const probeRef = refOf.get(probe);
      if (!probeRef) continue;
      probes.push([probeRef, refs]);
      pairCount += refs.length;
    }
    lap('block');
    log(`${pairCount} blocked pairs for ${probes.length} found reports`);

    const { parameters, source } = await train(threads[0] as ScoringThread, probes, pairCount, refOf, {
      wanted: options.trainingPairs ?? 10_000,
      log,
    });
    lap('train');

    const lines = (
      await Promise.all(
        threads.map((thread, t) =>
          thread.request({
            type: 'score',
            nameKeys,
            parameters,
            top,
            review: options.review,
            probes: probes.filter((_, i) => i % threads.length === t),
          }),
        ),
      )
    ).flatMap((reply) => (reply.type === 'scored' ? reply.lines : []));
    lines.sort((a, b) => b.score - a.score);
    await writeLines(options.out, lines);
    lap('score');
    seconds.total = (performance.now() - started) / 1000;
    return {
      missing: rows.length - foundCount,
      found: foundCount,
      invalid,
      blockedPairs: pairCount,
      candidates: lines.length,
      parameters: source,
      seconds,
    };
  } finally {
    await Promise.all(threads.map((thread) => thread.stop()));
    await store.close();
  }
}

/**
 * EM over an even sample of the blocked pairs, with u from random missing × found pairs; kept
 * only when plausible (see plausibleEstimate), else the engine's defaults.
 */
async function train(
  thread: ScoringThread,
  probes: readonly [string, string[]][],
  pairCount: number,
  refOf: Map<string, string>,
  options: { wanted: number; log: (message: string) => void },
): Promise<{ parameters: matching.ModelParameters; source: 'em' | 'default' }> {
  const step = Math.max(1, Math.floor(pairCount / options.wanted));
  const sample: [string, string][] = [];
  let i = 0;
  for (const [probe, candidates] of probes) {
    for (const candidate of candidates) if (i++ % step === 0) sample.push([probe, candidate]);
  }
  const refs = [...refOf.values()];
  const missing = refs.filter((ref) => ref.startsWith('m:'));
  const found = refs.filter((ref) => ref.startsWith('f:'));
  const random: [string, string][] = [];
  // A fixed stride through both sides: reproducible, and as good as random for u.
  for (let r = 0; r < RANDOM_PAIRS && missing.length > 0 && found.length > 0; r++) {
    random.push([
      missing[(r * 7_919) % missing.length] as string,
      found[(r * 104_729) % found.length] as string,
    ]);
  }
  const [blocked, chance] = await Promise.all([
    thread.request({ type: 'compare', pairs: sample }),
    thread.request({ type: 'compare', pairs: random }),
  ]);
  if (blocked.type !== 'compared' || chance.type !== 'compared' || blocked.vectors.length === 0)
    return { parameters: matching.DEFAULT_PARAMETERS, source: 'default' };
  const { parameters } = matching.estimateFromPairs(blocked.vectors, chance.vectors);
  if (matching.plausibleEstimate(parameters, probes.length, pairCount)) return { parameters, source: 'em' };
  options.log(
    `EM settled on ${(parameters.priorMatchProbability * 100).toFixed(1)}% same-child pairs, more than there can be ` +
      `(${((probes.length / pairCount) * 100).toFixed(1)}%): scoring with the engine's default parameters`,
  );
  return { parameters: matching.DEFAULT_PARAMETERS, source: 'default' };
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

  request(message: WorkerRequest): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

async function writeLines(path: string, lines: readonly ScoredLine[]): Promise<void> {
  const out = createWriteStream(path, { mode: 0o600 });
  for (const line of lines) {
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
