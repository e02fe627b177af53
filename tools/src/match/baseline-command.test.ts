// `khoj match baseline` and `khoj match evaluate` end to end on a small generated benchmark, and
// the messages for files that are not what they should be.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeBenchmark } from '../synth/command.ts';
import { registerBaselineCommand } from './baseline-command.ts';
import { registerEvaluateCommand } from './evaluate-command.ts';

function khoj() {
  const program = new Command('khoj').exitOverride();
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  const match = program.command('match');
  registerBaselineCommand(match);
  registerEvaluateCommand(match);
  return (...args: string[]) => program.parseAsync(['match', ...args], { from: 'user' });
}

describe('khoj match baseline / evaluate', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'khoj-baseline-'));
    await writeBenchmark(dir, { seed: 2, missing: 2_000, found: 500 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(['exact', 'fuzzy'])(
    '%s: writes at most ten candidates per found report, best first, that evaluate reads',
    async (kind) => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      const out = file(`${kind}.jsonl`);
      await khoj()(
        'baseline',
        '--kind',
        kind,
        '--missing',
        file('missing.jsonl'),
        '--found',
        file('found.jsonl'),
        '--out',
        out,
      );
      const candidates = (await readFile(out, 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line));
      expect(candidates.length).toBeGreaterThan(20);
      const perFound = new Map<string, number[]>();
      for (const candidate of candidates) {
        expect(Object.keys(candidate)).toEqual(['foundId', 'missingId', 'score', 'explanation']);
        perFound.set(candidate.foundId, [...(perFound.get(candidate.foundId) ?? []), candidate.score]);
      }
      for (const scores of perFound.values()) {
        expect(scores.length).toBeLessThanOrEqual(10);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
      }
      expect(log.mock.calls[0]?.[0]).toMatch(
        new RegExp(
          `${kind} baseline: ${candidates.length} candidates for 500 found reports against 2000 missing`,
        ),
      );

      log.mockClear();
      await khoj()('evaluate', '--candidates', out, '--truth', file('truth.jsonl'), '--json');
      const evaluation = JSON.parse(String(log.mock.calls[0]?.[0]));
      expect(evaluation.withTrueMatch).toBe(350);
      // Naive matchers find some true matches, and far from all of them.
      expect(evaluation.recallAt10).toBeGreaterThan(0.03);
      expect(evaluation.recallAt10).toBeLessThan(0.4);
      log.mockRestore();
    },
  );

  it('evaluate prints a table with the thresholds it was given', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await writeFile(
      file('one.jsonl'),
      '{"foundId":"F-0000001","missingId":"M-0000001","score":0.7,"explanation":"x"}\n',
    );
    await khoj()(
      'evaluate',
      '--candidates',
      file('one.jsonl'),
      '--truth',
      file('truth.jsonl'),
      '--review',
      '0.6',
      '--alert',
      '0.8',
    );
    expect(String(log.mock.calls[0]?.[0])).toMatch(
      /precision \(score ≥ 0\.6\)[\s\S]*false alerts \(top ≥ 0\.8\)/,
    );
    log.mockRestore();
  });

  it.each([
    [
      '{"foundId":"F-0000001","missingId":"M-0000001","score":1.5}\n',
      /bad\.jsonl line 1: score must be a number from 0 to 1 \(got 1\.5\)/,
    ],
    ['\n{"foundId":"F-0000001","score":0.5}\n', /bad\.jsonl line 2: missingId must be a non-empty string/],
    ['{"foundId":"F-0000001",\n', /bad\.jsonl line 1: not valid JSON/],
    [
      '{"foundId":"F-9999999","missingId":"M-0000001","score":0.5}\n',
      /F-9999999, which the truth file does not list/,
    ],
  ])('evaluate names the bad line of a candidates file: %j', async (content, message) => {
    await writeFile(file('bad.jsonl'), content);
    await expect(
      khoj()('evaluate', '--candidates', file('bad.jsonl'), '--truth', file('truth.jsonl')),
    ).rejects.toThrow(message);
  });

  it('baseline names an invalid report, a report of the wrong kind, and an unknown --kind', async () => {
    await writeFile(
      file('broken.jsonl'),
      '{"id":"x","kind":"missing","country":"IN","reportedAt":"2024-01-01","eventDate":"2024-01-01","sex":"girl","ageYears":5}\n',
    );
    const run = khoj();
    await expect(
      run(
        'baseline',
        '--kind',
        'exact',
        '--missing',
        file('broken.jsonl'),
        '--found',
        file('found.jsonl'),
        '--out',
        file('x.jsonl'),
      ),
    ).rejects.toThrow(/broken\.jsonl line 1: sex: sex must be one of/);
    await expect(
      khoj()(
        'baseline',
        '--kind',
        'exact',
        '--missing',
        file('found.jsonl'),
        '--found',
        file('found.jsonl'),
        '--out',
        file('x.jsonl'),
      ),
    ).rejects.toThrow(/a found report in the file of missing reports/);
    await expect(
      khoj()(
        'baseline',
        '--kind',
        'phonetic',
        '--missing',
        file('missing.jsonl'),
        '--found',
        file('found.jsonl'),
        '--out',
        file('x.jsonl'),
      ),
    ).rejects.toThrow(/phonetic/);
  });
});
