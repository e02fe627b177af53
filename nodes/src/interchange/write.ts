// Writing records as an interchange file, a row at a time, such that reading the output gives
// back equal records. Every column is always written, in INTERCHANGE_FIELDS order, so files
// from different nodes line up when opened side by side.
import { formatCsvRow } from './csv.ts';
import { assertFormat, InterchangeError, type InterchangeFormat } from './format.ts';
import { INTERCHANGE_FIELDS, type InterchangeRecord, LIST_SEPARATOR } from './record.ts';

export type WriteOptions = {
  /**
   * Start a CSV file with a UTF-8 byte-order mark (default true). Without it Excel opens the
   * file in the machine's legacy code page and shows Bengali or Devanagari names as garbage.
   */
  bom?: boolean;
};

/** Yields the file as text chunks: for CSV the header then one chunk per row; for JSONL one per line. */
export async function* writeInterchange(
  records: Iterable<InterchangeRecord> | AsyncIterable<InterchangeRecord>,
  format: InterchangeFormat,
  options: WriteOptions = {},
): AsyncGenerator<string> {
  assertFormat(format);
  if (format === 'csv') {
    yield `${options.bom === false ? '' : '\uFEFF'}${formatCsvRow(INTERCHANGE_FIELDS)}`;
    for await (const record of records) yield formatCsvRow(csvCells(record));
  } else {
    for await (const record of records) yield `${JSON.stringify(orderedFields(record))}\n`;
  }
}

/** The record's fields in canonical order, so equal records are written as equal lines. */
function orderedFields(record: InterchangeRecord): Record<string, unknown> {
  const fields = record as Record<string, unknown>;
  return Object.fromEntries(
    INTERCHANGE_FIELDS.filter((field) => fields[field] !== undefined).map((field) => [field, fields[field]]),
  );
}

function csvCells(record: InterchangeRecord): string[] {
  const fields = record as Record<string, unknown>;
  return INTERCHANGE_FIELDS.map((field) => {
    const value = fields[field];
    if (value === undefined) return '';
    if (!Array.isArray(value)) return String(value);
    // The schema refuses `|` in list items; a record built by hand may not have been through it.
    if (value.some((item) => String(item).includes(LIST_SEPARATOR))) {
      throw new InterchangeError(
        'ERR_INTERCHANGE_UNWRITABLE',
        `record '${record.id}': ${field} has an item containing "|", which CSV lists cannot express`,
      );
    }
    return value.join(LIST_SEPARATOR);
  });
}
