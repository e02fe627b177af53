// Text no store can hold (contracts' input.ts: NUL and the other C0 controls but tab and line
// breaks, unpaired surrogates) and lines nested too deep, in CSV and JSONL imports: refused as
// row errors naming the line and the field, the rest of the file imported. Before, a NUL in any
// text field reached PostgreSQL, which refused the whole batch mid-statement.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_DOCUMENT_DEPTH } from '@khoj/contracts';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../db/schema/index.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { importFile } from './import.ts';
import type { RowError } from './row-errors.ts';
import { readAll, toCsv, toJsonl, validRaw } from './test-fixtures.ts';

const rowErrors = (rows: Awaited<ReturnType<typeof readAll>>) =>
  rows.flatMap((row) => row.errors ?? []).map((error) => [error.row, error.field, error.reason]);

describe('unstorable text in an interchange file', () => {
  it('is an error naming the line and the field, in CSV and in JSONL alike', async () => {
    const rows = [
      { ...validRaw, id: 'R-1', notes: 'left home\u0000at night' },
      { ...validRaw, id: 'R-2', name: 'Rupa\u001b[31m' },
      { ...validRaw, id: 'R-3', identifyingMarks: ['scar', 'mole\u0007'] },
      { ...validRaw, id: 'R-4', notes: 'tab\tand\nline breaks are fine' },
    ];
    for (const [format, text] of [
      ['csv', toCsv(rows)],
      ['jsonl', toJsonl(rows)],
    ] as const) {
      const read = await readAll(text, format);
      const first = format === 'csv' ? 2 : 1;
      expect(read.map((row) => row.record?.id ?? null)).toEqual([null, null, null, 'R-4']);
      expect(rowErrors(read)).toEqual([
        [first, 'notes', 'notes contains U+0000, a control character, which cannot be stored — remove it'],
        [first + 1, 'name', 'name contains U+001B, a control character, which cannot be stored — remove it'],
        [
          first + 2,
          'identifyingMarks',
          'identifyingMarks contains U+0007, a control character, which cannot be stored — remove it',
        ],
      ]);
    }
  });

  it('in JSONL, is refused escaped too, and so is an unpaired surrogate; a line too deep is refused whole', async () => {
    const valid = JSON.stringify(validRaw).slice(0, -1);
    const text = [
      `${valid},"notes":"left home\\u0000at night"}`,
      `${valid},"name":"Rupa \\ud800"}`,
      `${valid},"notes":${'['.repeat(MAX_DOCUMENT_DEPTH)}${']'.repeat(MAX_DOCUMENT_DEPTH)}}`,
      `${valid},"notes":${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
    ].join('\n');
    const read = await readAll(text, 'jsonl');
    expect(read.map((row) => [row.line, row.errors?.[0]?.field])).toEqual([
      [1, 'notes'],
      [2, 'name'],
      [3, '(row)'],
      [4, '(row)'],
    ]);
    expect(read[1]?.errors?.[0]?.reason).toMatch(/U\+D800, an unpaired surrogate/);
    expect(read[2]?.errors?.[0]?.reason).toMatch(/nested deeper than 64 levels/);
  });
});

describe('importing a file with unstorable text', () => {
  let node: TestNode;
  let dir: string;
  let unitId: string;

  beforeAll(async () => {
    node = await createTestNode('IN-WB');
    unitId = (await node.unit({ type: 'police_station' })).id;
    dir = await mkdtemp(join(tmpdir(), 'khoj-import-text-'));
  });
  afterAll(async () => {
    await node?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the other rows and nothing of the refused ones', async () => {
    for (const format of ['csv', 'jsonl'] as const) {
      const rows = [
        { ...validRaw, id: `${format}-1`, name: 'Rupa Mondal' },
        { ...validRaw, id: `${format}-2`, name: 'Rupa\u0000 Mondal' },
        { ...validRaw, id: `${format}-3`, notes: 'found near the ghat\u0000' },
        { ...validRaw, id: `${format}-4`, name: 'Anil Mondal' },
      ];
      const file = join(dir, `reports.${format}`);
      await writeFile(file, format === 'csv' ? toCsv(rows) : toJsonl(rows));
      const errors: RowError[] = [];
      const summary = await importFile(node.services.db, file, {
        ownerUnitId: unitId,
        importedBy: 'test',
        onErrors: (found) => errors.push(...found),
      });
      expect(summary).toEqual({ imported: 2, alreadyPresent: 0, invalid: 2 });
      const first = format === 'csv' ? 2 : 1;
      expect(errors.map((error) => [error.row, error.field])).toEqual([
        [first + 1, 'name'],
        [first + 2, 'notes'],
      ]);
      for (const [id, stored] of [
        [`${format}-1`, 1],
        [`${format}-2`, 0],
        [`${format}-3`, 0],
        [`${format}-4`, 1],
      ] as const) {
        const [row] = await node.services.db
          .select({ n: count() })
          .from(cases)
          .where(eq(cases.externalRef, id));
        expect(row?.n, id).toBe(stored);
      }
    }
  });
});
