// Reading and writing the benchmark's JSONL files that are not reports: candidates
// (`{"foundId","missingId","score","explanation"}`, best first per found report) and truth
// (`{"foundId","missingId"|null}`). A bad line stops the read with its file and line number.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Candidate, TruthRow } from './evaluate.ts';

async function* jsonLines(path: string): AsyncGenerator<{ line: number; value: unknown }> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { line, value: JSON.parse(text) };
    } catch {
      throw new Error(`${path} line ${line}: not valid JSON`);
    }
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is string => typeof value === 'string' && value !== '';

export function parseCandidate(value: unknown, where: string): Candidate {
  if (!isObject(value)) throw new Error(`${where}: a candidate must be a JSON object`);
  const { foundId, missingId, score, explanation } = value;
  if (!isId(foundId)) throw new Error(`${where}: foundId must be a non-empty string`);
  if (!isId(missingId)) throw new Error(`${where}: missingId must be a non-empty string`);
  if (typeof score !== 'number' || !(score >= 0 && score <= 1)) {
    throw new Error(`${where}: score must be a number from 0 to 1 (got ${JSON.stringify(score)})`);
  }
  // The engine writes its explanation as a list of weighted steps, the baselines as a sentence;
  // evaluation reads neither, so a string is kept (for messages) and anything else dropped.
  return { foundId, missingId, score, ...(typeof explanation === 'string' ? { explanation } : {}) };
}

export function parseTruthRow(value: unknown, where: string): TruthRow {
  if (!isObject(value)) throw new Error(`${where}: a truth row must be a JSON object`);
  const { foundId, missingId } = value;
  if (!isId(foundId)) throw new Error(`${where}: foundId must be a non-empty string`);
  if (missingId !== null && !isId(missingId)) throw new Error(`${where}: missingId must be a string or null`);
  return { foundId, missingId };
}

export async function readCandidates(path: string): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  for await (const { line, value } of jsonLines(path))
    candidates.push(parseCandidate(value, `${path} line ${line}`));
  return candidates;
}

export async function readTruth(path: string): Promise<TruthRow[]> {
  const rows: TruthRow[] = [];
  for await (const { line, value } of jsonLines(path))
    rows.push(parseTruthRow(value, `${path} line ${line}`));
  return rows;
}

/** Writes one JSON object per line, waiting on the stream's buffer, and returns the line count. */
export async function writeJsonLines(
  path: string,
  items: AsyncIterable<unknown> | Iterable<unknown>,
): Promise<number> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => {});
  let count = 0;
  let batch = '';
  const flush = async () => {
    if (batch === '') return;
    const ok = stream.write(batch);
    batch = '';
    if (!ok) await Promise.race([once(stream, 'drain'), failed]);
  };
  for await (const item of items) {
    batch += `${JSON.stringify(item)}\n`;
    count++;
    if (batch.length >= 1 << 16) await flush();
  }
  await flush();
  stream.end();
  await Promise.race([once(stream, 'finish'), failed]);
  return count;
}
