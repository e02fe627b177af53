// Benchmark of a node's case store on PostgreSQL (issue: import >= 5,000 rows/s; at 1 M cases,
// case fetch p95 <= 10 ms and filtered list/search p95 <= 50 ms). Generates a seeded synthetic
// CSV in the interchange format, imports it with the same code as `khoj import`, then times API
// requests in-process (authorisation, audit entry and JSON included).
//
//   npm run bench:case-store -- --rows 1000000        (PostgreSQL from KHOJ_BENCH_DATABASE_URL,
//                                                     else a local server started for the run)

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importFile } from '@khoj/node';
import { createTestNode } from '../../nodes/src/testing/test-node.ts';
import { createDatabase, startTestServices } from '../../tests/infra/services.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, samples: { type: 'string', default: '1000' } },
});
const rows = Number(values.rows);
const samples = Number(values.samples);

// A small seeded generator (mulberry32): the same file for the same --rows.
let seed = 0x6b686f6a;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const GIVEN = [
  'Amit',
  'Riya',
  'Sita',
  'Rahul',
  'Puja',
  'Arjun',
  'Mina',
  'Karim',
  'Fatema',
  'Bikash',
  'সুমন',
  'রিয়া',
  'सीता',
  'राहुल',
];
const FAMILY = [
  'Das',
  'Roy',
  'Tamang',
  'Khatun',
  'Sheikh',
  'Mondal',
  'Ghosh',
  'Gurung',
  'Yadav',
  'দাস',
  'तामाङ',
];
const DISTRICTS = [
  'Kolkata',
  'Nadia',
  'Howrah',
  'Malda',
  'Murshidabad',
  'Darjeeling',
  'Jalpaiguri',
  'Hooghly',
  'Purulia',
  'Birbhum',
];

async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('id,kind,country,state,district,reportedAt,eventDate,name,sex,ageYears,languages,guardianName\n');
  for (let i = 0; i < rows; i++) {
    const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 1000) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const line = [
      `R-${i}`,
      random() < 0.6 ? 'missing' : 'found',
      'IN',
      'WB',
      pick(DISTRICTS),
      day,
      day,
      `${pick(GIVEN)} ${pick(FAMILY)}`,
      random() < 0.5 ? 'female' : 'male',
      String(3 + Math.floor(random() * 15)),
      pick(['bn', 'hi', 'ne', 'bn|hi']),
      `${pick(GIVEN)} ${pick(FAMILY)}`,
    ].join(',');
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function time(label: string, request: () => Response | Promise<Response>): Promise<void> {
  const durations: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const response = await request();
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${label}: ${response.status}`);
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1);
  console.log(
    `${label.padEnd(34)} p50 ${f(percentile(durations, 50))} ms  p95 ${f(percentile(durations, 95))} ms  p99 ${f(percentile(durations, 99))} ms`,
  );
}

const services = await startTestServices();
const url =
  process.env.KHOJ_BENCH_DATABASE_URL ?? (await createDatabase(services.postgresUrl, `bench_${Date.now()}`));
const dir = await mkdtemp(join(tmpdir(), 'khoj-bench-'));
const node = await createTestNode('IN-WB', url);
try {
  const file = join(dir, 'cases.csv');
  await writeCsv(file);
  const unit = await node.unit({ type: 'police_station', name: 'Bench PS' });
  const started = performance.now();
  const summary = await importFile(node.services.db, file, { ownerUnitId: unit.id, importedBy: 'bench' });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `import: ${summary.imported} rows (${((await stat(file)).size / 1e6).toFixed(0)} MB CSV) in ${seconds.toFixed(1)} s = ${Math.round(summary.imported / seconds)} rows/s`,
  );

  const { token } = await node.user('police_officer', unit.id);
  const ids = (await node.services.db.execute<{ id: string }>(
    `select id from cases order by random() limit ${samples}`,
  )) as unknown;
  const caseIds = (Array.isArray(ids) ? ids : (ids as { rows: { id: string }[] }).rows).map(
    (row: { id: string }) => row.id,
  );
  let next = 0;
  await time('GET /v1/reports/{id}', () =>
    node.request(token, 'GET', `/v1/reports/${caseIds[next++ % caseIds.length]}`),
  );
  await time('GET /v1/reports?district&kind', () =>
    node.request(
      token,
      'GET',
      `/v1/reports?district=${pick(DISTRICTS)}&kind=${pick(['missing', 'found'])}&limit=50`,
    ),
  );
  await time('GET /v1/reports?q=<name word>', () =>
    node.request(token, 'GET', `/v1/reports?q=${encodeURIComponent(pick(FAMILY).toLowerCase())}&limit=50`),
  );
  await time('GET /v1/reports?status&district (page 2)', async () => {
    const first = (await (
      await node.request(token, 'GET', `/v1/reports?status=open&district=${pick(DISTRICTS)}&limit=50`)
    ).json()) as { next: string };
    return node.request(token, 'GET', `/v1/reports?status=open&limit=50&cursor=${first.next}`);
  });
} finally {
  await node.cleanup();
  await rm(dir, { recursive: true, force: true });
  await services.stop();
}
