// Shared by the interchange tests: sample reports, and helpers that render raw rows as CSV or
// JSONL text and read text back. Not a test file itself (vitest only runs *.test.ts).
import { formatCsvRow } from './csv.ts';
import type { InterchangeFormat } from './format.ts';
import { type InterchangeRow, readInterchange } from './read.ts';
import { INTERCHANGE_FIELDS, type InterchangeRecord } from './record.ts';
import type { TextSource } from './text.ts';

export type RawRow = Record<string, string | number | string[]>;

/** A valid missing-child report with every optional field filled in, in Bengali and Devanagari. */
export const missingSita: InterchangeRecord = {
  id: 'WB-2024-0001',
  kind: 'missing',
  country: 'IN',
  state: 'West Bengal',
  district: 'হাওড়া',
  reportedAt: '2024-05-01T10:30:00+05:30',
  eventDate: '2024-04-30',
  name: 'সীতা দাস',
  aliases: ['Sita', 'सीता', 'সীতু'],
  sex: 'female',
  ageYears: 9,
  heightCm: 128.5,
  languages: ['bn', 'hi'],
  guardianName: 'রাম দাস',
  identifyingMarks: ['mole on left cheek', 'बाएं हाथ पर जलने का निशान'],
  notes: 'Last seen at Howrah station, wearing a "red" frock,\nholding a blue bag.',
};

/** A valid found-child report: no name, estimated age, only the required fields besides. */
export const foundBoy: InterchangeRecord = {
  id: 'NP-BAG-77',
  kind: 'found',
  country: 'NP',
  reportedAt: '2024-05-02',
  eventDate: '2024-05-02',
  sex: 'male',
  ageEstimateMin: 6,
  ageEstimateMax: 8,
  languages: ['ne'],
};

/** A valid row in raw form, for tests that break one field at a time. */
export const validRaw: RawRow = {
  id: 'R-1',
  kind: 'missing',
  country: 'IN',
  reportedAt: '2024-05-01',
  eventDate: '2024-04-30',
  sex: 'female',
  ageYears: 9,
};

/** Renders rows as CSV with every column of the format, then any other keys the rows use. */
export function toCsv(rows: RawRow[]): string {
  const columns = [...new Set([...INTERCHANGE_FIELDS, ...rows.flatMap((row) => Object.keys(row))])];
  const cell = (value: RawRow[string] | undefined) =>
    value === undefined ? '' : Array.isArray(value) ? value.join('|') : String(value);
  return [columns, ...rows.map((row) => columns.map((column) => cell(row[column])))]
    .map(formatCsvRow)
    .join('');
}

export function toJsonl(rows: readonly object[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

export async function readAll(
  input: string | TextSource,
  format: InterchangeFormat,
): Promise<InterchangeRow[]> {
  const rows: InterchangeRow[] = [];
  for await (const row of readInterchange(typeof input === 'string' ? [input] : input, format))
    rows.push(row);
  return rows;
}
