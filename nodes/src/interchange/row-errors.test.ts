import { describe, expect, it } from 'vitest';
import type { RowError } from './row-errors.ts';
import { type RawRow, readAll, toCsv, toJsonl, validRaw } from './test-fixtures.ts';

/** Errors for one raw row read through each format: CSV puts it on line 2, JSONL on line 1. */
async function errorsOf(raw: RawRow): Promise<{ csv: RowError[]; jsonl: RowError[] }> {
  const [csv] = await readAll(toCsv([raw]), 'csv');
  const [jsonl] = await readAll(toJsonl([raw]), 'jsonl');
  return { csv: csv?.errors ?? [], jsonl: jsonl?.errors ?? [] };
}

const without = (field: string): RawRow =>
  Object.fromEntries(Object.entries(validRaw).filter(([key]) => key !== field));

describe('reporting invalid rows', () => {
  it.each<[string, RawRow, string, string]>([
    ['missing id', without('id'), 'id', 'id is required'],
    [
      'too long id',
      { ...validRaw, id: 'x'.repeat(101) },
      'id',
      'id must be at most 100 characters (it has 101)',
    ],
    ['bad kind', { ...validRaw, kind: 'lost' }, 'kind', "kind must be one of missing, found (got 'lost')"],
    [
      'bad sex',
      { ...validRaw, sex: 'girl' },
      'sex',
      "sex must be one of female, male, other, unknown (got 'girl')",
    ],
    [
      'country not in ISO 3166-1',
      { ...validRaw, country: 'UK' },
      'country',
      "country must be a two-letter ISO 3166-1 country code, such as IN, NP or BD (got 'UK')",
    ],
    [
      'both age forms',
      { ...validRaw, ageEstimateMin: 8, ageEstimateMax: 10 },
      'ageYears',
      'give either ageYears or ageEstimateMin and ageEstimateMax, not both',
    ],
    [
      'neither age form',
      without('ageYears'),
      'ageYears',
      'age is required: give ageYears, or both ageEstimateMin and ageEstimateMax',
    ],
    [
      'age range upside down',
      { ...without('ageYears'), ageEstimateMin: 9, ageEstimateMax: 3 },
      'ageEstimateMin',
      'ageEstimateMin must not be greater than ageEstimateMax (9 > 3)',
    ],
    [
      'half an age range',
      { ...without('ageYears'), ageEstimateMin: 9 },
      'ageEstimateMax',
      'ageEstimateMax is required when ageEstimateMin is given',
    ],
    ['age out of range', { ...validRaw, ageYears: 26 }, 'ageYears', 'ageYears must be at most 25 (got 26)'],
    [
      'fractional age',
      { ...validRaw, ageYears: 7.5 },
      'ageYears',
      'ageYears must be a whole number (got 7.5)',
    ],
    [
      'age in words',
      { ...validRaw, ageYears: 'seven' },
      'ageYears',
      "ageYears must be a number (got 'seven')",
    ],
    [
      'height out of range',
      { ...validRaw, heightCm: 250 },
      'heightCm',
      'heightCm must be at most 220 (got 250)',
    ],
    [
      'impossible date',
      { ...validRaw, eventDate: '2023-02-29' },
      'eventDate',
      "eventDate must be a date written YYYY-MM-DD, such as 2024-03-15 (got '2023-02-29')",
    ],
    [
      'date in local notation',
      { ...validRaw, eventDate: '30/04/2024' },
      'eventDate',
      "eventDate must be a date written YYYY-MM-DD, such as 2024-03-15 (got '30/04/2024')",
    ],
    [
      'reportedAt with a space instead of T',
      { ...validRaw, reportedAt: '2024-05-01 10:30' },
      'reportedAt',
      'reportedAt must be a date (YYYY-MM-DD) or a date and time (such as 2024-03-15T14:30 or ' +
        "2024-03-15T14:30:00+05:30) (got '2024-05-01 10:30')",
    ],
    [
      'eventDate after reportedAt',
      { ...validRaw, reportedAt: '2024-05-01', eventDate: '2024-05-02' },
      'eventDate',
      'eventDate must not be after the date of reportedAt (2024-05-02 is after 2024-05-01)',
    ],
    [
      // The reporter's own date counts: 23:30 at UTC-5 is already 2 May in UTC, but not for them.
      'eventDate after the date reportedAt is written in',
      { ...validRaw, reportedAt: '2024-05-01T23:30:00-05:00', eventDate: '2024-05-02' },
      'eventDate',
      'eventDate must not be after the date of reportedAt (2024-05-02 is after 2024-05-01)',
    ],
    [
      'bad language code',
      { ...validRaw, languages: ['hi', 'english'] },
      'languages',
      "languages item 2 must be a 2–3 letter ISO 639 language code, such as hi, bn or en (got 'english')",
    ],
    [
      'too long notes',
      { ...validRaw, notes: 'ক'.repeat(2001) },
      'notes',
      'notes must be at most 2000 characters (it has 2001)',
    ],
  ])('%s', async (_case, raw, field, reason) => {
    const { csv, jsonl } = await errorsOf(raw);
    expect(csv).toEqual([{ row: 2, field, reason }]);
    expect(jsonl).toEqual([{ row: 1, field, reason }]);
  });

  it('accepts notes of exactly 2000 characters', async () => {
    const [row] = await readAll(toJsonl([{ ...validRaw, notes: 'ক'.repeat(2000) }]), 'jsonl');
    expect(row?.record?.notes).toHaveLength(2000);
  });

  it('reports every problem in a row at once', async () => {
    const { csv } = await errorsOf({
      ...without('id'),
      kind: 'lost',
      ageEstimateMin: 9,
      eventDate: '2024-06-01',
    });
    expect(csv.map((error) => error.field).sort()).toEqual(['ageYears', 'eventDate', 'id', 'kind']);
  });

  it('refuses "|" inside a list item in both formats, since CSV could not carry it', async () => {
    const [row] = await readAll(toJsonl([{ ...validRaw, aliases: ['Sita|Gita'] }]), 'jsonl');
    expect(row?.errors).toEqual([
      { row: 1, field: 'aliases', reason: expect.stringContaining('must not contain "|"') },
    ]);
  });

  it('names the field holding bytes that were not UTF-8', async () => {
    const header = Buffer.from('id,kind,country,reportedAt,eventDate,sex,ageYears,name\n');
    const latin1 = Buffer.concat([
      Buffer.from('R-1,missing,IN,2024-05-01,2024-04-30,female,9,Jos'),
      Buffer.from([0xe9]),
    ]);
    const [row] = await readAll([header, latin1], 'csv');
    expect(row?.errors?.map((error) => [error.field, error.reason.split(' (got')[0]])).toEqual([
      ['name', 'name contains characters that could not be read — save the file as UTF-8'],
    ]);
  });
});

describe('accepting the documented forms', () => {
  it.each([
    '2024-05-01',
    '2024-05-01T10:30',
    '2024-05-01T10:30:15',
    '2024-05-01T10:30:15.250Z',
    '2024-05-01T10:30+05:45',
    '2024-05-01T10:30:00-03:00',
  ])('reportedAt %s', async (reportedAt) => {
    const [row] = await readAll(toJsonl([{ ...validRaw, reportedAt, eventDate: '2024-05-01' }]), 'jsonl');
    expect(row?.errors).toBeUndefined();
    expect(row?.record?.reportedAt).toBe(reportedAt); // kept as written
  });

  it('a leap day, upper-case codes and spaced-out cells', async () => {
    const csv = toCsv([
      { ...validRaw, eventDate: '2024-02-29', kind: ' MISSING ', sex: 'Female', languages: ['HI', ''] },
    ]);
    const [row] = await readAll(csv, 'csv');
    expect(row?.record).toMatchObject({
      eventDate: '2024-02-29',
      kind: 'missing',
      sex: 'female',
      languages: ['hi'],
    });
  });
});
