import { describe, expect, it } from 'vitest';
import { InterchangeRecord } from './record.ts';
import { foundBoy, missingSita, readAll } from './test-fixtures.ts';
import { writeInterchange } from './write.ts';

async function written(...args: Parameters<typeof writeInterchange>): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of writeInterchange(...args)) chunks.push(chunk);
  return chunks;
}

/** Awkward text for a CSV writer: separators, quotes, line breaks, several scripts. */
const AWKWARD = [
  'plain',
  'comma, inside',
  '"quoted" at the start',
  'ends with a quote"',
  'two\nlines',
  'দাস, "রাম"',
  'सीता\nगीता',
  '😀 emoji',
  ',',
  '""',
];

/** Deterministic so a failure can be replayed: a small linear congruential generator. */
function seeded(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function awkwardRecords(count: number): InterchangeRecord[] {
  const random = seeded(42);
  const pick = () => AWKWARD[Math.floor(random() * AWKWARD.length)] ?? 'plain';
  return Array.from({ length: count }, (_, index) =>
    InterchangeRecord.parse({
      id: `${pick().slice(0, 50)} #${index}`.replaceAll('\n', ' '),
      kind: index % 2 ? 'found' : 'missing',
      country: 'BD',
      district: random() < 0.5 ? pick() : undefined,
      reportedAt: '2024-05-01T10:30',
      eventDate: '2024-04-30',
      name: random() < 0.7 ? pick() : undefined,
      aliases: [pick(), pick()],
      sex: 'other',
      ...(index % 3 ? { ageYears: index % 26 } : { ageEstimateMin: 2, ageEstimateMax: 5 }),
      heightCm: random() < 0.5 ? 30 + Math.round(random() * 1900) / 10 : undefined,
      identifyingMarks: [pick()],
      notes: `${pick()}\n${pick()}, ${pick()}`,
    }),
  );
}

describe('writeInterchange', () => {
  const records = [missingSita, foundBoy, ...awkwardRecords(200)];

  it.each(['csv', 'jsonl'] as const)('writes %s that reads back to equal records', async (format) => {
    const text = (await written(records, format)).join('');
    const rows = await readAll(text, format);
    expect(rows.filter((row) => row.errors)).toEqual([]);
    expect(rows.map((row) => row.record)).toEqual(records);
  });

  it('gives the same records whichever format they pass through', async () => {
    const viaCsv = await readAll((await written(records, 'csv')).join(''), 'csv');
    const jsonl = (
      await written(
        viaCsv.flatMap((row) => (row.record ? [row.record] : [])),
        'jsonl',
      )
    ).join('');
    expect(jsonl).toBe((await written(records, 'jsonl')).join(''));
  });

  it('writes a CSV header of every column, then one chunk per row', async () => {
    const chunks = await written([foundBoy], 'csv');
    expect(chunks).toEqual([
      '\uFEFFid,kind,country,state,district,reportedAt,eventDate,name,aliases,sex,ageYears,ageEstimateMin,' +
        'ageEstimateMax,heightCm,languages,guardianName,identifyingMarks,notes\r\n',
      'NP-BAG-77,found,NP,,,2024-05-02,2024-05-02,,,male,,6,8,,ne,,,\r\n',
    ]);
    expect((await written([], 'csv', { bom: false }))[0]).toMatch(/^id,kind,/);
  });

  it('writes one JSON object per line, fields in a fixed order, absent fields left out', async () => {
    const shuffled = Object.fromEntries(Object.entries(foundBoy).reverse()) as InterchangeRecord;
    async function* one() {
      yield shuffled;
    }
    expect(await written(one(), 'jsonl')).toEqual([
      '{"id":"NP-BAG-77","kind":"found","country":"NP","reportedAt":"2024-05-02","eventDate":"2024-05-02",' +
        '"sex":"male","ageEstimateMin":6,"ageEstimateMax":8,"languages":["ne"]}\n',
    ]);
  });

  it('refuses to write a hand-built record whose list item holds "|"', async () => {
    const record = { ...foundBoy, aliases: ['a|b'] };
    await expect(written([record], 'csv')).rejects.toMatchObject({ code: 'ERR_INTERCHANGE_UNWRITABLE' });
  });
});
