import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { detectFormat, InterchangeError } from './format.ts';
import { readInterchange } from './read.ts';
import { foundBoy, missingSita, readAll, toCsv, toJsonl, validRaw } from './test-fixtures.ts';

const SITA_CSV =
  'id,kind,country,state,district,reportedAt,eventDate,name,aliases,sex,ageYears,ageEstimateMin,' +
  'ageEstimateMax,heightCm,languages,guardianName,identifyingMarks,notes\n' +
  'WB-2024-0001,missing,IN,West Bengal,হাওড়া,2024-05-01T10:30:00+05:30,2024-04-30,সীতা দাস,Sita|सीता|সীতু,' +
  'female,9,,,128.5,bn|hi,রাম দাস,mole on left cheek|बाएं हाथ पर जलने का निशान,' +
  '"Last seen at Howrah station, wearing a ""red"" frock,\nholding a blue bag."\n';

describe('reading valid files', () => {
  it('reads CSV and JSONL holding the same reports into equal records', async () => {
    const csv = `${SITA_CSV}NP-BAG-77,found,np,,,2024-05-02,2024-05-02,,,Male,,6,8,,NE,,,\n`;
    // Keys in any order; null, blank text and empty lists mean absent, as empty CSV cells do.
    const jsonl =
      `${JSON.stringify({ ...missingSita, ageYears: '9', notes: `  ${missingSita.notes}  ` })}\n` +
      `${JSON.stringify({ sex: 'MALE', id: 'NP-BAG-77', kind: 'found', country: 'NP', reportedAt: '2024-05-02', eventDate: '2024-05-02', ageEstimateMin: 6, ageEstimateMax: 8, languages: ['ne', ' '], name: null, notes: '  ', aliases: [] })}\n`;
    const fromCsv = await readAll(csv, 'csv');
    const fromJsonl = await readAll(jsonl, 'jsonl');
    expect(fromCsv).toEqual([
      { line: 2, record: missingSita },
      { line: 4, record: foundBoy }, // the quoted note spans lines 2 and 3
    ]);
    expect(fromJsonl.map((row) => row.record)).toEqual([missingSita, foundBoy]);
    expect(fromJsonl.map((row) => row.line)).toEqual([1, 2]);
    expect(Object.keys(fromCsv[1]?.record ?? {})).not.toContain('name'); // omitted, not undefined
  });

  it('accepts a byte-order mark and CRLF line endings', async () => {
    const csv = Buffer.from(`\uFEFF${SITA_CSV.replaceAll('\n', '\r\n')}`);
    const jsonl = Buffer.from(`\uFEFF${toJsonl([missingSita]).replace('\n', '\r\n')}`);
    expect(await readAll([csv], 'csv')).toEqual([{ line: 2, record: missingSita }]);
    expect(await readAll([jsonl], 'jsonl')).toEqual([{ line: 1, record: missingSita }]);
  });

  it('normalises names to NFC so the same name typed two ways is equal', async () => {
    const decomposed = 'Sita\u0301'; // i + combining acute, vs the single character í
    const [row] = await readAll(toJsonl([{ ...validRaw, name: decomposed }]), 'jsonl');
    expect(row?.record?.name).toBe('Sita\u0301'.normalize('NFC'));
    expect(row?.record?.name).not.toBe(decomposed);
  });

  it('skips blank lines but keeps counting them', async () => {
    const csv = `\n${toCsv([validRaw]).replace('\r\n', '\r\n\r\n   \r\n')}\r\n`;
    const jsonl = `\n${toJsonl([validRaw])}\n   \n${toJsonl([{ ...validRaw, id: 'R-2' }])}`;
    expect((await readAll(csv, 'csv')).map((row) => [row.line, row.record?.id])).toEqual([[5, 'R-1']]);
    expect((await readAll(jsonl, 'jsonl')).map((row) => [row.line, row.record?.id])).toEqual([
      [2, 'R-1'],
      [5, 'R-2'],
    ]);
  });

  it('reads from a Node stream of bytes', async () => {
    const rows = await readAll(Readable.from([Buffer.from(SITA_CSV)]), 'csv');
    expect(rows).toEqual([{ line: 2, record: missingSita }]);
  });
});

describe('CSV structure', () => {
  it('reports unknown columns once on the header line and reads nothing else', async () => {
    const csv = toCsv([{ ...validRaw, Name: 'Sita', colour: 'red' }, validRaw]);
    expect(await readAll(csv, 'csv')).toEqual([
      {
        line: 1,
        errors: [
          { row: 1, field: 'Name', reason: "unknown column 'Name' — did you mean 'name'?" },
          {
            row: 1,
            field: 'colour',
            reason: expect.stringMatching(/^unknown column 'colour' — the columns are id, kind/),
          },
        ],
      },
    ]);
  });

  it('reports repeated and missing required columns', async () => {
    const csv =
      'id,kind,kind,country,reportedAt,eventDate,ageEstimateMin\nR-1,missing,missing,IN,2024-05-01,2024-04-30,3\n';
    const [header, ...rest] = await readAll(csv, 'csv');
    expect(rest).toEqual([]);
    expect(header?.errors).toEqual([
      { row: 1, field: 'kind', reason: "column 'kind' appears more than once" },
      { row: 1, field: 'sex', reason: "the header has no 'sex' column (it is required)" },
      {
        row: 1,
        field: 'ageYears',
        reason:
          "the header needs an 'ageYears' column, or both 'ageEstimateMin' and 'ageEstimateMax' columns",
      },
    ]);
  });

  const HEADER = 'id,kind,country,reportedAt,eventDate,sex,ageYears';

  it('reports a row with the wrong number of values and carries on', async () => {
    const csv = `${HEADER}\nR-1,missing,IN,2024-05-01,2024-04-30,female,9\nR-2,missing,IN,2024-05-01\nR-3,missing,IN,2024-05-01,2024-04-30,female,9\n`;
    const rows = await readAll(csv, 'csv');
    expect(rows.map((row) => row.line)).toEqual([2, 3, 4]);
    expect(rows[1]?.errors).toEqual([
      {
        row: 3,
        field: '(row)',
        reason: expect.stringContaining('this row has 4 values but the header has 7 columns'),
      },
    ]);
    expect(rows[2]?.record?.id).toBe('R-3');
  });

  it('allows an unnamed column only while it stays empty', async () => {
    const csv = `${HEADER},\nR-1,missing,IN,2024-05-01,2024-04-30,female,9,\nR-2,missing,IN,2024-05-01,2024-04-30,female,9,oops\n`;
    const rows = await readAll(csv, 'csv');
    expect(rows[0]?.record?.id).toBe('R-1');
    expect(rows[1]?.errors).toEqual([
      { row: 3, field: '(row)', reason: 'column 8 has a value but no name in the header' },
    ]);
  });
});

describe('JSONL structure', () => {
  it('reports a malformed line and reads the lines after it', async () => {
    const jsonl = `${toJsonl([validRaw])}{"id": "R-2", "kind": \n[1, 2]\n${toJsonl([{ ...validRaw, id: 'R-4' }])}`;
    const rows = await readAll(jsonl, 'jsonl');
    expect(rows.map((row) => [row.line, row.record?.id ?? row.errors?.[0]?.reason])).toEqual([
      [1, 'R-1'],
      [2, expect.stringMatching(/^this line is not valid JSON \(/)],
      [3, 'each line must be a JSON object, such as {"id": "…", "kind": "…"}'],
      [4, 'R-4'],
    ]);
    expect(rows[1]?.errors?.[0]?.field).toBe('(row)');
  });

  it('names unknown keys, including ones that try to reach the prototype', async () => {
    const line = JSON.stringify(validRaw).replace('{', '{"Sex":"f","__proto__":{"notes":"x"},');
    const [row] = await readAll(`${line}\n`, 'jsonl');
    expect(row?.errors?.map((error) => error.field)).toEqual(['Sex', '__proto__']);
    expect(row?.errors?.[0]?.reason).toBe("unknown field 'Sex' — did you mean 'sex'?");
  });

  it('says when a list is given as text', async () => {
    const [row] = await readAll(toJsonl([{ ...validRaw, languages: 'hi' }]), 'jsonl');
    expect(row?.errors).toEqual([
      { row: 1, field: 'languages', reason: "languages must be a list (got 'hi')" },
    ]);
  });
});

describe('FORMAT.md', () => {
  it('shows CSV and JSONL examples that are valid and hold the same reports', async () => {
    const markdown = readFileSync(new URL('./FORMAT.md', import.meta.url), 'utf8');
    const example = (language: string) => markdown.split(`\n\`\`\`${language}\n`)[1]?.split('\n```')[0] ?? '';
    const csv = await readAll(example('csv'), 'csv');
    const jsonl = await readAll(example('jsonl'), 'jsonl');
    expect(csv.flatMap((row) => row.errors ?? [])).toEqual([]);
    expect(csv).toHaveLength(2);
    expect(jsonl.map((row) => row.record)).toEqual(csv.map((row) => row.record));
  });
});

describe('detectFormat', () => {
  it('knows .csv, .jsonl and .ndjson in any case', () => {
    expect(detectFormat('/data/import.csv')).toBe('csv');
    expect(detectFormat('reports.JSONL')).toBe('jsonl');
    expect(detectFormat('reports.ndjson')).toBe('jsonl');
  });

  it('explains which extensions it understands', () => {
    expect(() => detectFormat('reports.xlsx')).toThrow(InterchangeError);
    expect(() => detectFormat('reports')).toThrow(/must end in \.csv, \.jsonl or \.ndjson/);
  });

  it('refuses an unknown format name passed to the reader', async () => {
    await expect(readInterchange([''], 'xlsx' as never).next()).rejects.toMatchObject({
      code: 'ERR_INTERCHANGE_FORMAT',
    });
  });
});
