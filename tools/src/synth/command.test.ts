// `khoj synth` as a user runs it: three files with the asked-for numbers of lines, and a clear
// refusal of a count that is not a number.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerSynthCommand } from './command.ts';

function khoj() {
  const program = new Command('khoj').exitOverride();
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerSynthCommand(program);
  return program;
}

describe('khoj synth', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'khoj-synth-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes missing.jsonl, found.jsonl and truth.jsonl', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const out = join(dir, 'bench');
    await khoj().parseAsync(['synth', '--seed', '4', '--missing', '250', '--found', '100', '--out', out], {
      from: 'user',
    });
    const lines = async (name: string) =>
      (await readFile(join(out, name), 'utf8')).split('\n').filter((line) => line !== '');
    expect(await lines('missing.jsonl')).toHaveLength(250);
    expect(await lines('found.jsonl')).toHaveLength(100);
    const truth = (await lines('truth.jsonl')).map((line) => JSON.parse(line));
    expect(truth).toHaveLength(100);
    expect(truth.filter((row) => row.missingId !== null)).toHaveLength(70);
    expect(log.mock.calls[0]?.[0]).toMatch(
      /wrote 250 missing and 100 found reports \(70 with a true match\)/,
    );
    log.mockRestore();
  });

  it('takes --matched-share', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const out = join(dir, 'share');
    await khoj().parseAsync(
      ['synth', '--seed', '4', '--missing', '100', '--found', '40', '--matched-share', '0.5', '--out', out],
      { from: 'user' },
    );
    const truth = (await readFile(join(out, 'truth.jsonl'), 'utf8'))
      .split('\n')
      .filter((line) => line !== '');
    expect(truth.map((line) => JSON.parse(line)).filter((row) => row.missingId !== null)).toHaveLength(20);
    vi.restoreAllMocks();
  });

  it.each([
    [['--missing', 'lots'], /--missing must be a whole number/],
    [['--missing', '-3'], /--missing must be a whole number/],
    [['--missing', '10', '--matched-share', '2'], /must be between 0 and 1/],
  ])('refuses %j', async (args, message) => {
    const run = khoj().parseAsync(['synth', '--seed', '1', '--found', '5', '--out', dir, ...args], {
      from: 'user',
    });
    await expect(run).rejects.toThrow(message);
  });
});
