// A small streaming CSV reader and cell writer (RFC 4180): quoted cells with commas, doubled
// quotes and line breaks; CRLF, LF or CR line endings; text fed a chunk at a time, so a file of
// any length is read in constant memory. Written here rather than pulled in because the format
// needs only this much, and line numbers for error reports fall out of it directly.

/** One record of the file with the line it starts on (1-based; a quoted line break moves later records down). */
export type CsvRecord =
  | { line: number; cells: string[]; error?: undefined }
  | { line: number; error: string };

export type CsvParser = {
  /** Parses the next piece of text and returns the records it completed. */
  push(text: string): CsvRecord[];
  /** Ends the input and returns the last record, if the text did not end with a line break. */
  end(): CsvRecord[];
};

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Deliberately lenient where spreadsheets are sloppy: a quote inside an unquoted cell (5'2")
 * and text after a closing quote are kept literally. A record longer than `maxRecordChars`
 * (almost always a quote that is never closed) is reported and ends parsing, because every
 * line after it would be swallowed into one cell.
 */
export function createCsvParser(maxRecordChars = 1_048_576): CsvParser {
  let cells: string[] = [];
  let cell = '';
  let recordChars = 0;
  let quoted = false; // the current cell began with a quote
  let inQuotes = false;
  let quoteAtChunkEnd = false; // a quote ended the last chunk: closing, or the first of ""?
  let crAtChunkEnd = false; // a CR ended the last chunk: the next LF belongs to it
  let line = 1;
  let recordLine = 1;
  let stopped = false;

  const endCell = () => {
    recordChars += cell.length;
    cells.push(cell);
    cell = '';
    quoted = false;
  };
  const endRecord = (out: CsvRecord[]) => {
    endCell();
    // A blank line, or a row of nothing but empty or whitespace-only cells (",,,"), is not a record.
    if (cells.some((value) => value.trim() !== '')) out.push({ line: recordLine, cells });
    cells = [];
    recordChars = 0;
    line++;
    recordLine = line;
  };
  // Line breaks inside a quoted cell still count as lines of the file.
  const countBreaks = (text: string, from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const code = text.charCodeAt(i);
      if (code === LF && !crAtChunkEnd) line++;
      crAtChunkEnd = code === CR;
      if (code === CR) line++;
    }
  };

  function push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (stopped) return out;
    let i = 0;
    const n = text.length;
    if (quoteAtChunkEnd && n > 0) {
      quoteAtChunkEnd = false;
      if (text.charCodeAt(0) === QUOTE) {
        cell += '"';
        i = 1;
      } else inQuotes = false;
    }
    if (!inQuotes && crAtChunkEnd && n > 0) {
      crAtChunkEnd = false;
      if (text.charCodeAt(0) === LF) i = Math.max(i, 1);
    }
    while (i < n) {
      if (inQuotes) {
        const close = text.indexOf('"', i);
        const stop = close === -1 ? n : close;
        countBreaks(text, i, stop);
        // A quote parts a CR from any LF after it, so the LF is a line break of its own.
        if (close !== -1) crAtChunkEnd = false;
        cell += text.slice(i, stop);
        if (close === -1) {
          i = n;
        } else if (close + 1 === n) {
          quoteAtChunkEnd = true;
          i = n;
        } else if (text.charCodeAt(close + 1) === QUOTE) {
          cell += '"';
          i = close + 2;
        } else {
          inQuotes = false;
          i = close + 1;
        }
        continue;
      }
      crAtChunkEnd = false;
      const code = text.charCodeAt(i);
      if (code === COMMA) {
        endCell();
        i++;
      } else if (code === LF) {
        endRecord(out);
        i++;
      } else if (code === CR) {
        endRecord(out);
        if (i + 1 === n) crAtChunkEnd = true;
        i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      } else if (code === QUOTE && cell === '' && !quoted) {
        quoted = true;
        inQuotes = true;
        i++;
      } else {
        let j = i + 1;
        for (; j < n; j++) {
          const next = text.charCodeAt(j);
          if (next === COMMA || next === LF || next === CR) break;
        }
        cell += text.slice(i, j);
        i = j;
      }
    }
    if (recordChars + cell.length > maxRecordChars) {
      stopped = true;
      out.push({
        line: recordLine,
        error: `this row is longer than ${maxRecordChars} characters — probably a quote (") that is never closed; the rest of the file was not read`,
      });
    }
    return out;
  }

  function end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (stopped) return out;
    stopped = true;
    if (quoteAtChunkEnd) inQuotes = false;
    if (inQuotes) {
      return [{ line: recordLine, error: 'a quoted value is never closed (a " is missing)' }];
    }
    if (cell !== '' || quoted || cells.length > 0) endRecord(out);
    return out;
  }

  return { push, end };
}

/** Writes one cell, quoting it only when it holds a comma, quote or line break. */
export function formatCsvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV line with its CRLF terminator (RFC 4180's line break, and what spreadsheets expect). */
export function formatCsvRow(values: readonly string[]): string {
  return `${values.map(formatCsvCell).join(',')}\r\n`;
}
