// A scoring thread of `khoj match run`. It reads both files itself (so nothing large crosses
// between threads) and, for its share of the lines, prepares the profiles and computes their
// blocking keys and name-key counts, which the main thread gathers to block; then it answers
// comparison vectors for EM and the best candidates of the probes it is given, preparing the
// other profiles it needs on first use. Reports are named by file and line id: `m:<id>` (missing
// file), `f:<id>` (found file), and, for scoring, by their place among the valid lines of both
// files (missing file first), which is the same in every thread.
import { parentPort, workerData } from 'node:worker_threads';
import { matching } from '@khoj/node';

/** This thread prepares and keys every `shares`-th line of both files, from line `share`. */
export type WorkerInput = { missing: string; found: string; share: number; shares: number };

/** What was wrong with a file's invalid lines (share 0 tells). */
export type InvalidLines = { path: string; errors: { row: number; field: string; reason: string }[][] };

export type ScoredLine = {
  foundId: string;
  missingId: string;
  score: number;
  explanation: matching.ExplanationStep[];
};

/** A candidate as the main thread gets it: its score to sort by, and its output line already written as JSON (one string crosses between threads faster than the nested object). */
export type WrittenLine = { score: number; json: string };

export type WorkerRequest =
  | { type: 'compare'; pairs: [string, string][] }
  | {
      type: 'score';
      /** How many reports carry each phonetic name key, and how many reports there are. */
      nameKeys: { counts: [string, number][]; reports: number };
      parameters: matching.ModelParameters;
      top: number;
      review: number | undefined;
      /**
       * The probes and their candidates by line number, flat: probe, candidate count, candidates,
       * next probe… (a million strings took seconds to pass between threads and to look up).
       */
      probes: Int32Array;
    };

export type WorkerReply =
  | {
      type: 'ready';
      /** The keyed reports of this thread's share. */
      reports: matching.KeyedReport[];
      /** The line number of each of `reports`. */
      lineNumbers: number[];
      /** How many reports of this thread's share carry each phonetic name key. */
      nameKeys: [string, number][];
      /** Share 0 only: the valid lines of each side, and the invalid lines of each file. */
      counts: Record<matching.MatchSide, number> | undefined;
      invalid: InvalidLines[] | undefined;
    }
  | { type: 'compared'; vectors: matching.FieldComparison[][] }
  | { type: 'scored'; lines: WrittenLine[] }
  | { type: 'failed'; message: string };

const input = workerData as WorkerInput;
const port = parentPort;
if (!port) throw new Error('run-worker.ts runs as a worker thread of `khoj match run`');

/** Every valid line of both files; prepared when first needed. */
const lines = new Map<string, { profile: matching.MatchProfile; id: string }>();
/** The same by line number, and their prepared profiles. */
const numbered: { profile: matching.MatchProfile; id: string }[] = [];
const lineNumber = new Map<string, number>();
const prepared: (matching.PreparedProfile | undefined)[] = [];

function preparedOf(ref: string): matching.PreparedProfile | undefined {
  const at = lineNumber.get(ref);
  return at === undefined ? undefined : preparedAt(at);
}

function preparedAt(at: number): matching.PreparedProfile | undefined {
  let profile = prepared[at];
  if (!profile) {
    const line = numbered[at];
    if (!line) return undefined;
    profile = matching.prepareProfile(line.profile);
    prepared[at] = profile;
  }
  return profile;
}

/** Reads both files; prepares and keys this thread's share of the lines. */
async function load(): Promise<Extract<WorkerReply, { type: 'ready' }>> {
  const invalid: InvalidLines[] = [];
  for (const [tag, path] of [
    ['m', input.missing],
    ['f', input.found],
  ] as const) {
    const file = await matching.readProfiles(path);
    invalid.push({ path, errors: file.errors });
    for (const [id, profile] of file.profiles) {
      const ref = `${tag}:${id}`;
      const line = { profile: { ...profile, id: ref }, id };
      lines.set(ref, line);
      lineNumber.set(ref, numbered.length);
      numbered.push(line);
    }
  }
  const counts = new Map<string, number>();
  const reports: matching.KeyedReport[] = [];
  const lineNumbers: number[] = [];
  const perSide = { missing: 0, found: 0 };
  let index = 0;
  for (const [ref, line] of lines) {
    perSide[line.profile.side] += 1;
    const at = index++;
    if (at % input.shares !== input.share) continue;
    lineNumbers.push(at);
    const computed = matching.profileKeys(preparedAt(at) as matching.PreparedProfile);
    for (const key of computed.nameKeys) counts.set(key, (counts.get(key) ?? 0) + 1);
    reports.push({ ref, side: line.profile.side, birth: computed.birth, keys: computed.keys });
  }
  const first = input.share === 0;
  return {
    type: 'ready',
    reports,
    lineNumbers,
    nameKeys: [...counts],
    counts: first ? perSide : undefined,
    invalid: first ? invalid : undefined,
  };
}

/** The pair as the scorer takes it: missing report first. */
function sides(first: matching.PreparedProfile | undefined, second: matching.PreparedProfile | undefined) {
  if (!first || !second) return undefined;
  return first.side === 'missing' ? ([first, second] as const) : ([second, first] as const);
}

type Kept = { missing: matching.PreparedProfile; found: matching.PreparedProfile; score: number };

/**
 * The `top` best candidates of each probe. Every blocked pair is ranked by its weight alone (no
 * text); only the kept ones are scored in full, with their explanation: a found report has about
 * two hundred blocked pairs and keeps ten, and describing all of them was most of the run.
 */
function score(request: Extract<WorkerRequest, { type: 'score' }>): WrittenLine[] {
  const frequencies = matching.nameFrequencies({
    counts: new Map(request.nameKeys.counts),
    reports: request.nameKeys.reports,
  });
  const written: WrittenLine[] = [];
  const { probes } = request;
  for (let at = 0; at < probes.length; ) {
    const probe = preparedAt(probes[at++] as number);
    const end = at + 1 + (probes[at] as number);
    const best: Kept[] = [];
    for (at++; at < end; at++) {
      const candidate = preparedAt(probes[at] as number);
      if (!probe || !candidate) continue;
      // The pair as the scorer takes it, missing report first.
      const missing = probe.side === 'missing' ? probe : candidate;
      const found = missing === probe ? candidate : probe;
      const probability = matching.probabilityFromWeight(
        matching.pairWeight(missing, found, request.parameters, frequencies),
      );
      if (request.review !== undefined && probability < request.review) continue;
      if (best.length >= request.top && (best.at(-1)?.score ?? 0) >= probability) continue;
      let slot = best.length;
      while (slot > 0 && (best[slot - 1]?.score ?? 0) < probability) slot--;
      best.splice(slot, 0, { missing, found, score: probability });
      if (best.length > request.top) best.pop();
    }
    for (const { missing, found } of best) {
      const scored = matching.scorePair(missing, found, request.parameters, frequencies);
      const line: ScoredLine = {
        foundId: lines.get(found.id)?.id ?? found.id,
        missingId: lines.get(missing.id)?.id ?? missing.id,
        score: scored.probability,
        explanation: scored.explanation,
      };
      written.push({ score: line.score, json: JSON.stringify(line) });
    }
  }
  return written;
}

const reply = (message: WorkerReply) => port.postMessage(message);

port.on('message', (request: WorkerRequest) => {
  try {
    if (request.type === 'compare') {
      const vectors: matching.FieldComparison[][] = [];
      for (const [a, b] of request.pairs) {
        const pair = sides(preparedOf(a), preparedOf(b));
        if (pair) vectors.push(matching.compareProfiles(pair[0], pair[1]));
      }
      reply({ type: 'compared', vectors });
    } else {
      reply({ type: 'scored', lines: score(request) });
    }
  } catch (error: unknown) {
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
});

load().then(
  (ready) => reply(ready),
  (error: unknown) =>
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
);
