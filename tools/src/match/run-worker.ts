// A scoring thread of `khoj match run`. It reads both files itself and prepares the profiles it
// needs (so nothing large crosses between threads), then answers the main thread: the blocking
// keys and name-key counts of every report (the keys thread only, while the main thread imports),
// comparison vectors for EM, and the best candidates of the probes it is given. Reports are named
// by file and line id: `m:<id>` (missing file), `f:<id>` (found file).
import { parentPort, workerData } from 'node:worker_threads';
import { matching } from '@khoj/node';

export type WorkerInput = { missing: string; found: string; keys: boolean };

export type KeyRowByRef = { ref: string; side: matching.MatchSide; rule: string; key: string; birth: number };

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
  | { type: 'ready'; keys: KeyRowByRef[] | undefined; nameKeys: [string, number][] | undefined }
  | { type: 'compared'; vectors: matching.FieldComparison[][] }
  | { type: 'scored'; lines: ScoredLine[] }
  | { type: 'failed'; message: string };

const input = workerData as WorkerInput;
const port = parentPort;
if (!port) throw new Error('run-worker.ts runs as a worker thread of `khoj match run`');

/** Every line of both files; prepared when first needed (the keys thread prepares all at once). */
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

/** Reads both files; the keys thread also computes every report's keys and name-key counts. */
async function load(): Promise<Extract<WorkerReply, { type: 'ready' }>> {
  for (const [tag, path] of [
    ['m', input.missing],
    ['f', input.found],
  ] as const) {
    for (const [id, profile] of await matching.readProfiles(path)) {
      const ref = `${tag}:${id}`;
      lines.set(ref, { profile: { ...profile, id: ref }, id });
    }
  }
  if (!input.keys) return { type: 'ready', keys: undefined, nameKeys: undefined };
  const counts = new Map<string, number>();
  const keys: KeyRowByRef[] = [];
  for (const [ref, line] of lines) {
    const computed = matching.profileKeys(preparedOf(ref) as matching.PreparedProfile);
    for (const key of computed.nameKeys) counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const key of computed.keys) {
      keys.push({ ref, side: line.profile.side, rule: key.rule, key: key.key, birth: computed.birth });
    }
  }
  return { type: 'ready', keys, nameKeys: [...counts] };
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
