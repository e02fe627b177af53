// Reading an interchange file, CSV or JSONL, one row at a time: each row comes out as a
// validated record or as everything wrong with it, tagged with its line number in the file.
// Streaming throughout, so a file of a million rows is never held in memory.
import { InputError, parseJsonDocument } from '@khoj/contracts';
import { createCsvParser } from './csv.ts';
import { assertFormat, type InterchangeFormat } from './format.ts';
import { INTERCHANGE_FIELDS, type InterchangeRecord, LIST_FIELDS, LIST_SEPARATOR } from './record.ts';
import {
  type RowError,
  unknownFieldReason,
  type ValidatedRow,
  validateRow,
  WHOLE_ROW,
} from './row-errors.ts';
import { decodeText, splitLines, type TextSource } from './text.ts';

/** A row read from a file: its line number, and either the record or its errors. */
export type InterchangeRow =
  | { line: number; record: InterchangeRecord; errors?: undefined }
  | { line: number; record?: undefined; errors: RowError[] };

/** Far beyond any valid row (all fields at their limits are ~25k characters); bounds memory. */
const MAX_ROW_CHARS = 1_048_576;

const KNOWN_COLUMNS: ReadonlySet<string> = new Set(INTERCHANGE_FIELDS);
const REQUIRED_COLUMNS = ['id', 'kind', 'country', 'reportedAt', 'eventDate', 'sex'] as const;

/**
 * Reads rows from `input` (a Node stream or any async iterable of text or bytes). Blank lines
 * are skipped. A CSV header with unknown, repeated or missing columns is reported once, as
 * errors on the header's line, and nothing else is read: no row of such a file can be trusted.
 */
export async function* readInterchange(
  input: TextSource,
  format: InterchangeFormat,
): AsyncGenerator<InterchangeRow> {
  assertFormat(format);
  yield* format === 'csv' ? readCsv(input) : readJsonl(input);
}

function toRow(line: number, validated: ValidatedRow, earlier: RowError[] = []): InterchangeRow {
  if (validated.record && earlier.length === 0) return { line, record: validated.record };
  return { line, errors: [...earlier, ...(validated.errors ?? [])] };
}

const wholeRowError = (line: number, reason: string): InterchangeRow => ({
  line,
  errors: [{ row: line, field: WHOLE_ROW, reason }],
});

async function* readJsonl(input: TextSource): AsyncGenerator<InterchangeRow> {
  for await (const item of splitLines(decodeText(input), MAX_ROW_CHARS)) {
    if (item.tooLong) {
      yield wholeRowError(item.line, `this line is longer than ${MAX_ROW_CHARS} characters and was not read`);
      continue;
    }
    if (item.text.trim() === '') continue;
    let value: unknown;
    try {
      // Nesting checked before parsing (contracts' limit for every document); the text of each
      // field is checked by the record's schema, which can name the field.
      value = parseJsonDocument(item.text, { strings: false });
    } catch (error: unknown) {
      if (error instanceof InputError) {
        yield wholeRowError(item.line, `this line is not a report: ${error.message}`);
        continue;
      }
      const detail = error instanceof Error ? ` (${error.message})` : '';
      yield wholeRowError(item.line, `this line is not valid JSON${detail}`);
      continue;
    }
    yield toRow(item.line, validateRow(value, item.line));
  }
}

/** The header's column names by position; `undefined` for a column left unnamed. */
type Columns = (string | undefined)[];

function readHeader(cells: string[], line: number): { columns: Columns } | { errors: RowError[] } {
  const errors: RowError[] = [];
  const seen = new Set<string>();
  const columns = cells.map((cell) => {
    const name = cell.trim();
    // Spreadsheets often leave a trailing unnamed column; harmless while its cells stay empty.
    if (name === '') return undefined;
    if (!KNOWN_COLUMNS.has(name))
      errors.push({ row: line, field: name, reason: unknownFieldReason(name, 'column') });
    else if (seen.has(name))
      errors.push({ row: line, field: name, reason: `column '${name}' appears more than once` });
    seen.add(name);
    return name;
  });
  for (const name of REQUIRED_COLUMNS) {
    if (!seen.has(name))
      errors.push({ row: line, field: name, reason: `the header has no '${name}' column (it is required)` });
  }
  if (!seen.has('ageYears') && !(seen.has('ageEstimateMin') && seen.has('ageEstimateMax'))) {
    errors.push({
      row: line,
      field: 'ageYears',
      reason: "the header needs an 'ageYears' column, or both 'ageEstimateMin' and 'ageEstimateMax' columns",
    });
  }
  return errors.length > 0 ? { errors } : { columns };
}

function rowFromCells(cells: string[], columns: Columns, line: number): InterchangeRow {
  if (cells.length !== columns.length) {
    return wholeRowError(
      line,
      `this row has ${cells.length} values but the header has ${columns.length} columns — ` +
        'a value containing a comma or a line break must be put in double quotes',
    );
  }
  const errors: RowError[] = [];
  const entries: [string, string | string[]][] = [];
  cells.forEach((cell, index) => {
    if (cell.trim() === '') return; // an empty cell means the field is absent
    const name = columns[index];
    if (name === undefined) {
      errors.push({
        row: line,
        field: WHOLE_ROW,
        reason: `column ${index + 1} has a value but no name in the header`,
      });
    } else {
      entries.push([name, LIST_FIELDS.has(name) ? cell.split(LIST_SEPARATOR) : cell]);
    }
  });
  // fromEntries defines own properties, so a column can never reach an object's prototype.
  return toRow(line, validateRow(Object.fromEntries(entries), line), errors);
}

async function* readCsv(input: TextSource): AsyncGenerator<InterchangeRow> {
  const parser = createCsvParser(MAX_ROW_CHARS);
  const texts = decodeText(input);
  let columns: Columns | undefined;
  for (let ended = false; !ended; ) {
    const next = await texts.next();
    ended = next.done === true;
    for (const record of next.done ? parser.end() : parser.push(next.value)) {
      if (record.error !== undefined) {
        yield wholeRowError(record.line, record.error);
      } else if (columns === undefined) {
        const header = readHeader(record.cells, record.line);
        if ('errors' in header) {
          yield { line: record.line, errors: header.errors };
          await texts.return(undefined);
          return;
        }
        columns = header.columns;
      } else {
        yield rowFromCells(record.cells, columns, record.line);
      }
    }
  }
}
