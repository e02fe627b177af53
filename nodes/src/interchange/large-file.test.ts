import { describe, expect, it } from 'vitest';
import { readInterchange } from './read.ts';

const ROWS = 100_000;

/** The file is made as it is read, a thousand rows a chunk: it never exists whole in memory. */
async function* generatedCsv(rows: number): AsyncGenerator<string> {
  yield 'id,kind,country,state,reportedAt,eventDate,name,aliases,sex,ageYears,ageEstimateMin,ageEstimateMax,languages,notes\r\n';
  let chunk = '';
  for (let row = 1; row <= rows; row++) {
    const age = row % 2 ? `${row % 26},,` : `,${row % 10},${(row % 10) + 3}`;
    chunk += `WB-${row},missing,IN,West Bengal,2024-05-01T10:30,2024-04-30,সীতা ${row},Sita|सीता,female,${age},bn|hi,"seen near ""gate ${row}"", wearing red"\r\n`;
    if (row % 1000 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}

describe('reading a large file', () => {
  it(`streams ${ROWS.toLocaleString('en')} CSV rows`, async () => {
    let records = 0;
    let lastLine = 0;
    const errors: unknown[] = [];
    for await (const row of readInterchange(generatedCsv(ROWS), 'csv')) {
      if (row.record) records++;
      else if (errors.length < 5) errors.push(row.errors);
      lastLine = row.line;
    }
    expect(errors).toEqual([]);
    expect(records).toBe(ROWS);
    expect(lastLine).toBe(ROWS + 1);
  });
});
