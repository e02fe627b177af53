import { describe, expect, it } from 'vitest';
import { type CsvRecord, createCsvParser, formatCsvCell, formatCsvRow } from './csv.ts';

/** Feeds `pieces` one by one, as chunks of a stream would arrive. */
function parse(pieces: string[], maxRecordChars?: number): CsvRecord[] {
  const parser = createCsvParser(maxRecordChars);
  return [...pieces.flatMap((piece) => parser.push(piece)), ...parser.end()];
}

const rows = (records: CsvRecord[]) =>
  records.map((record) => (record.error === undefined ? record.cells : record));

describe('CSV parser', () => {
  it('reads plain cells with LF, CRLF and CR line endings', () => {
    expect(rows(parse(['a,b\nc,d\r\ne,f\rg,h']))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });

  it('reads quoted cells holding commas, doubled quotes and line breaks', () => {
    const records = parse([
      'id,notes\r\n1,"Seen at the bus stand, near ""Gate 2""\r\nwearing red"\r\n2,"",x\r\n',
    ]);
    expect(rows(records)).toEqual([
      ['id', 'notes'],
      ['1', 'Seen at the bus stand, near "Gate 2"\r\nwearing red'],
      ['2', '', 'x'],
    ]);
  });

  it('gives each record the line it starts on, counting line breaks inside quotes', () => {
    const records = parse(['h\n"a\nb\r\nc"\n\nlast\n']);
    expect(records.map((record) => record.line)).toEqual([1, 2, 6]);
  });

  it('gives the same result however the text is split into chunks', () => {
    const text = 'id,notes\r\n1,"a ""quoted"" word,\r\nand a new line"\r\n"2",plain\r\n\r\n3,"x"\r';
    const whole = parse([text]);
    expect(parse([...text])).toEqual(whole);
    for (let cut = 1; cut < text.length; cut++)
      expect(parse([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    expect(rows(whole)).toEqual([
      ['id', 'notes'],
      ['1', 'a "quoted" word,\r\nand a new line'],
      ['2', 'plain'],
      ['3', 'x'],
    ]);
    expect(whole.map((record) => record.line)).toEqual([1, 2, 4, 6]);
  });

  it('skips blank lines and rows of empty cells', () => {
    expect(rows(parse(['a,b\n\n,\n  , \r\n\nc,d\n\n']))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('keeps a last record that has no line break after it', () => {
    expect(rows(parse(['a,b\nc,']))).toEqual([
      ['a', 'b'],
      ['c', ''],
    ]);
  });

  it('keeps stray quotes in unquoted cells literally, as spreadsheets do', () => {
    expect(rows(parse(['height\n5\'2",x\n"a"b,c\n']))).toEqual([['height'], ['5\'2"', 'x'], ['ab', 'c']]);
  });

  it('reports a quote that is never closed at the line it opened on', () => {
    const records = parse(['a,b\n1,"open\n2,x\n']);
    expect(rows(records)).toEqual([
      ['a', 'b'],
      { line: 2, error: 'a quoted value is never closed (a " is missing)' },
    ]);
  });

  it('stops with an error instead of buffering a runaway quoted cell', () => {
    const records = parse(['a\n"', 'x'.repeat(50), 'y'.repeat(50), 'z\n'], 64);
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({
      line: 2,
      error: expect.stringContaining('longer than 64 characters'),
    });
  });
});

describe('CSV writer', () => {
  it('quotes only cells that need it, and reads back to the same values', () => {
    const values = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', '', 'সীতা, রাম'];
    expect(formatCsvCell('plain')).toBe('plain');
    expect(formatCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(rows(parse([formatCsvRow(['x', ...values])]))).toEqual([['x', ...values]]);
  });
});
