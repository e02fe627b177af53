// `khoj match run` as a user runs it, on a small benchmark made by `khoj synth` (used as a black
// box): one JSON line per candidate with the files' ids, best first, at most --top per found
// report, each with its explanation steps; most found children's true reports among their
// candidates; a clear message for a missing file.
import { execFile } from 'node:child_process';
import { appendFile, copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const KHOJ = fileURLToPath(new URL('../../bin/khoj.js', import.meta.url));
const khoj = (...args: string[]) => run(process.execPath, [KHOJ, ...args], { maxBuffer: 16 << 20 });

type Line = {
  foundId: string;
  missingId: string;
  score: number;
  explanation: { field: string; weight: number }[];
};

describe('khoj match run', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'khoj-match-run-'));
    await khoj('synth', '--seed', '7', '--missing', '600', '--found', '150', '--out', dir);
  }, 180_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const jsonl = async <T>(path: string): Promise<T[]> =>
    (await readFile(path, 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as T);

  it('writes the best candidates of each found report, explained, with the files’ ids', async () => {
    const out = join(dir, 'candidates.jsonl');
    const { stdout } = await khoj(
      'match',
      'run',
      '--missing',
      join(dir, 'missing.jsonl'),
      '--found',
      join(dir, 'found.jsonl'),
      '--out',
      out,
      '--top',
      '5',
    );
    expect(stdout).toMatch(/candidates for 150 found reports against 600 missing/);
    const lines = await jsonl<Line>(out);
    const missingIds = new Set((await jsonl<{ id: string }>(join(dir, 'missing.jsonl'))).map((r) => r.id));
    const foundIds = new Set((await jsonl<{ id: string }>(join(dir, 'found.jsonl'))).map((r) => r.id));
    expect(lines.length).toBeGreaterThan(150);
    const perFound = new Map<string, number>();
    for (const line of lines) {
      expect(foundIds.has(line.foundId)).toBe(true);
      expect(missingIds.has(line.missingId)).toBe(true);
      expect(line.score).toBeGreaterThanOrEqual(0);
      expect(line.score).toBeLessThanOrEqual(1);
      expect(line.explanation[0]?.field).toBe('prior');
      perFound.set(line.foundId, (perFound.get(line.foundId) ?? 0) + 1);
    }
    expect(Math.max(...perFound.values())).toBeLessThanOrEqual(5);
    const scores = lines.map((line) => line.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // The engine finds most children whose true report is in the missing file.
    const truth = await jsonl<{ foundId: string; missingId: string | null }>(join(dir, 'truth.jsonl'));
    const withMatch = truth.filter((row) => row.missingId !== null);
    const found = withMatch.filter((row) =>
      lines.some((line) => line.foundId === row.foundId && line.missingId === row.missingId),
    );
    expect(found.length / withMatch.length).toBeGreaterThan(0.7);
  }, 180_000);

  it('skips invalid lines, naming file and line, and matches the valid ones', async () => {
    const found = join(dir, 'found-with-errors.jsonl');
    await copyFile(join(dir, 'found.jsonl'), found);
    const lineCount = (await readFile(found, 'utf8')).split('\n').filter((line) => line.trim() !== '').length;
    await appendFile(found, '{"id":"F-bad","kind":"found"}\nnot json\n');
    const out = join(dir, 'candidates-with-errors.jsonl');
    const error = await khoj(
      'match',
      'run',
      '--missing',
      join(dir, 'missing.jsonl'),
      '--found',
      found,
      '--out',
      out,
    ).catch((failure: { stdout: string; stderr: string; code: number }) => failure);
    expect(error).toMatchObject({ code: 3 });
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    expect(stdout).toMatch(/candidates for 150 found reports against 600 missing/);
    expect(stderr).toContain(`${found} line ${lineCount + 1}`);
    expect(stderr).toContain(`${found} line ${lineCount + 2}`);
    expect(stderr).toContain('2 invalid lines were skipped');
    const lines = await jsonl<Line>(out);
    expect(lines.length).toBeGreaterThan(150);
    expect(lines.some((line) => line.foundId === 'F-bad')).toBe(false);
  }, 180_000);

  it('names a file it cannot read', async () => {
    const error = await khoj(
      'match',
      'run',
      '--missing',
      join(dir, 'nope.jsonl'),
      '--found',
      join(dir, 'found.jsonl'),
      '--out',
      join(dir, 'x.jsonl'),
    ).catch((failure: { stderr: string; code: number }) => failure);
    expect(error).toMatchObject({ code: 1 });
    expect((error as { stderr: string }).stderr).toContain('cannot read');
    expect((error as { stderr: string }).stderr).toContain('nope.jsonl');
  }, 90_000);
});
