// The benchmark must not be shaped by the engine it measures, nor the engine by the benchmark:
// nothing under tools/src/synth (or the baselines) imports the matching engine, and nothing in
// the engine imports the generator or its name lists. See README.md.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../../..');
const SYNTH = join(repo, 'tools/src/synth');
const BASELINES = [
  join(repo, 'tools/src/match/baselines.ts'),
  join(repo, 'tools/src/match/baseline-command.ts'),
];
const ENGINE = join(repo, 'nodes/src/matching');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|js|mjs|json)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every module specifier a file imports or re-exports, statically or dynamically. */
function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns)
    for (const match of source.matchAll(pattern)) specifiers.push(match[1] as string);
  return specifiers;
}

/** Where a specifier points: a path for relative ones, the bare name otherwise. */
function target(file: string, specifier: string): string {
  return specifier.startsWith('.') ? resolve(file, '..', specifier) : specifier;
}

describe('separation of the benchmark from the matching engine', () => {
  it('finds the imports it checks', () => {
    expect(importsOf("import { a } from './a.ts';\nexport * from \"../b.ts\";\nawait import('c');")).toEqual([
      './a.ts',
      '../b.ts',
      'c',
    ]);
  });

  it('tools/src/synth and the baselines import nothing from the matching engine', async () => {
    const files = [...(await sourceFiles(SYNTH)), ...BASELINES];
    expect(files.length).toBeGreaterThan(10);
    const offending: string[] = [];
    for (const file of files) {
      for (const specifier of importsOf(await readFile(file, 'utf8'))) {
        const to = target(file, specifier);
        // The @khoj/node package root may re-export the engine, so only its interchange folder is allowed.
        const intoEngine =
          to.startsWith(ENGINE) || /matching/.test(specifier) || specifier.startsWith('@khoj/node');
        if (intoEngine) offending.push(`${relative(repo, file)} imports ${specifier}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the matching engine imports nothing from tools/src/synth or the tools package', async () => {
    const offending: string[] = [];
    for (const file of await sourceFiles(ENGINE)) {
      for (const specifier of importsOf(await readFile(file, 'utf8'))) {
        const to = target(file, specifier);
        if (to.startsWith(join(repo, 'tools')) || /synth|@khoj\/tools/.test(specifier)) {
          offending.push(`${relative(repo, file)} imports ${specifier}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });
});
