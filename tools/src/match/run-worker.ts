// A scoring thread of `khoj match run`. It reads both files itself (so nothing large crosses
// between threads) and, for its share of the lines, prepares the profiles and computes their
// blocking keys and name-key counts, which the main thread gathers to block; then it answers
// comparison vectors for EM and the best candidates of the probes it is given, preparing the
// other profiles it needs on first use. Reports are named by file and line id: `m:<id>` (missing
// file), `f:<id>` (found file).
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

export type WorkerRequest =
  | { type: 'compare'; pairs: [string, string][] }
  | {
      type: 'score';
      /** How many reports carry each phonetic name key, and how many reports there are. */
      nameKeys: { counts: [string, number][]; reports: number };
      parameters: matching.ModelParameters;
      top: number;
      review: number | undefined;
      probes: [string, string[]][];
    };

export type WorkerReply =
  | {
      type: 'ready';
      /** The keyed reports of this thread's share. */
      reports: matching.KeyedReport[];
      /** How many reports of this thread's share carry each phonetic name key. */
      nameKeys: [string, number][];
      /** Share 0 only: the valid lines of each side, and the invalid lines of each file. */
      counts: Record<matching.MatchSide, number> | undefined;
      invalid: InvalidLines[] | undefined;
    }
  | { type: 'compared'; vectors: matching.FieldComparison[][] }
  | { type: 'scored'; lines: ScoredLine[] }
  | { type: 'failed'; message: string };

const input = workerData as WorkerInput;
const port = parentPort;
if (!port) throw new Error('run-worker.ts runs as a worker thread of `khoj match run`');

/** Every valid line of both files; prepared when first needed. */
const lines = new Map<string, { profile: matching.MatchProfile; id: string }>();
const prepared = new Map<string, matching.PreparedProfile>();

function preparedOf(ref: string): matching.PreparedProfile | undefined {
  let profile = prepared.get(ref);
  if (!profile) {
    const line = lines.get(ref);
    if (!line) return undefined;
    profile = matching.prepareProfile(line.profile);
    prepared.set(ref, profile);
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
      lines.set(ref, { profile: { ...profile, id: ref }, id });
    }
  }
  const counts = new Map<string, number>();
  const reports: matching.KeyedReport[] = [];
  const perSide = { missing: 0, found: 0 };
  let index = 0;
  for (const [ref, line] of lines) {
    perSide[line.profile.side] += 1;
    if (index++ % input.shares !== input.share) continue;
    const computed = matching.profileKeys(preparedOf(ref) as matching.PreparedProfile);
    for (const key of computed.nameKeys) counts.set(key, (counts.get(key) ?? 0) + 1);
    reports.push({ ref, side: line.profile.side, birth: computed.birth, keys: computed.keys });
  }
  const first = input.share === 0;
  return {
    type: 'ready',
    reports,
    nameKeys: [...counts],
    counts: first ? perSide : undefined,
    invalid: first ? invalid : undefined,
  };
}

/** The pair as the scorer takes it: missing report first. */
function sides(a: string, b: string) {
  const first = preparedOf(a);
  const second = preparedOf(b);
  if (!first || !second) return undefined;
  return first.side === 'missing' ? ([first, second] as const) : ([second, first] as const);
}

function score(request: Extract<WorkerRequest, { type: 'score' }>): ScoredLine[] {
  const frequencies = matching.nameFrequencies({
    counts: new Map(request.nameKeys.counts),
    reports: request.nameKeys.reports,
  });
  const scoredLines: ScoredLine[] = [];
  for (const [probe, candidates] of request.probes) {
    const best: ScoredLine[] = [];
    for (const candidate of candidates) {
      const pair = sides(probe, candidate);
      if (!pair) continue;
      const scored = matching.scorePair(pair[0], pair[1], request.parameters, frequencies);
      if (request.review !== undefined && scored.probability < request.review) continue;
      if (best.length >= request.top && (best.at(-1)?.score ?? 0) >= scored.probability) continue;
      const line = {
        foundId: lines.get(pair[1].id)?.id ?? pair[1].id,
        missingId: lines.get(pair[0].id)?.id ?? pair[0].id,
        score: scored.probability,
        explanation: scored.explanation,
      };
      let at = best.length;
      while (at > 0 && (best[at - 1]?.score ?? 0) < line.score) at--;
      best.splice(at, 0, line);
      if (best.length > request.top) best.pop();
    }
    scoredLines.push(...best);
  }
  return scoredLines;
}

const reply = (message: WorkerReply) => port.postMessage(message);

port.on('message', (request: WorkerRequest) => {
  try {
    if (request.type === 'compare') {
      const vectors: matching.FieldComparison[][] = [];
      for (const [a, b] of request.pairs) {
        const pair = sides(a, b);
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
