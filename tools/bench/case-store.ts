// Benchmark of a node's case store on PostgreSQL (issue: import >= 5,000 rows/s; at 1 M cases,
// case fetch p95 <= 10 ms and filtered list/search p95 <= 50 ms). Generates a seeded synthetic
// CSV in the interchange format, imports it with the same code as `khoj import` into a fresh
// database, gives a fifth of the cases a match (and half of those a reunion) so that statistics
// have outcomes to find, then times API requests in-process (authorisation, audit entry and JSON
// included) and the statistics, and prints a table.
//
//   npm run bench:case-store -- --rows 1000000 [--samples 1000] [--keep]
//
// PostgreSQL: KHOJ_BENCH_DATABASE_URL (an empty database, kept), else a new database on the test
// server (KHOJ_TEST_POSTGRES_URL, or a local server started for the run), dropped at the end
// unless --keep.

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importFile } from '@khoj/node';
import { sql } from 'drizzle-orm';
import { caseSnapshotSql } from '../../nodes/src/cases/reports.store.ts';
import { cases, caseVersions } from '../../nodes/src/db/schema/index.ts';
import { readInterchange } from '../../nodes/src/interchange/read.ts';
import { createTestNode } from '../../nodes/src/testing/test-node.ts';
import { createDatabase, dropDatabase, startTestServices } from '../../tests/infra/services.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    samples: { type: 'string', default: '1000' },
    keep: { type: 'boolean', default: false },
  },
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

/** The rows of an `execute` answer: postgres-js gives the rows, PGlite { rows }. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const table: string[][] = [];
const ms = (n: number) => (n < 100 ? n.toFixed(1) : n.toFixed(0));
const load = () =>
  `${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`;

/** Times `count` sequential requests; a row of the table with p50/p95/p99 in milliseconds. */
async function time(
  label: string,
  request: () => Response | Promise<Response>,
  count = samples,
): Promise<void> {
  const durations: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await request();
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${label}: ${response.status}`);
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  const row = [label, String(count), ...[50, 95, 99].map((p) => `${ms(percentile(durations, p))} ms`)];
  console.log(row.join('  '));
  table.push(row);
}

async function phase<T>(label: string, work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${seconds.toFixed(1)} s`);
  return [result, seconds];
}

console.log(`load average at start (1, 5, 15 min): ${load()}`);
const services = await startTestServices();
const databaseName = `bench_${Date.now()}`;
const givenUrl = process.env.KHOJ_BENCH_DATABASE_URL;
const url = givenUrl ?? (await createDatabase(services.postgresUrl, databaseName));
const dir = await mkdtemp(join(tmpdir(), 'khoj-bench-'));
const node = await createTestNode('IN-WB', url);
const db = node.services.db;
try {
  const file = join(dir, 'cases.csv');
  await phase('generate CSV', () => writeCsv(file));
  const [records, readSeconds] = await phase('read and validate only (no database)', async () => {
    let valid = 0;
    for await (const row of readInterchange(createReadStream(file), 'csv')) if (row.record) valid++;
    return valid;
  });
  const unit = await node.unit({ type: 'police_station', name: 'Bench PS', district: 'Nadia' });
  const cpuBefore = { node: process.cpuUsage(), database: await databaseCpuSeconds() };
  const [summary, importSeconds] = await phase('import', () =>
    importFile(db, file, { ownerUnitId: unit.id, importedBy: 'bench' }),
  );
  const nodeCpu = process.cpuUsage(cpuBefore.node);
  const databaseCpu = (await databaseCpuSeconds()) - cpuBefore.database;
  if (summary.imported !== records) throw new Error(`imported ${summary.imported} of ${records} rows`);
  const size = ((await stat(file)).size / 1e6).toFixed(0);
  const cpu = `${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(0)} s / ${Number.isNaN(databaseCpu) ? 'n/a' : `${databaseCpu.toFixed(0)} s`}`;
  const importLine = `| import, ${rows.toLocaleString('en')} rows (${size} MB CSV) | ${importSeconds.toFixed(1)} s | ${Math.round(summary.imported / importSeconds).toLocaleString('en')} rows/s | ${readSeconds.toFixed(1)} s | ${cpu} |`;
  await phase('history: a fifth matched, half of those reunited', () => addHistory(db));
  await db.execute(sql`vacuum analyze`);

  const police = (await node.user('police_officer', unit.id)).token;
  const dcpuUnit = await node.unit({ type: 'dcpu', district: 'Nadia' });
  const dcpu = (await node.user('dcpu_officer', dcpuUnit.id)).token;
  const admin = (await node.user('node_admin', unit.id)).token;
  const caseIds = rowsOf<{ id: string }>(
    await db.execute(sql`select id from ${cases} order by random() limit ${samples}`),
  ).map((row) => row.id);
  let next = 0;
  const word = () => encodeURIComponent(pick(FAMILY).toLowerCase());
  await time('GET /v1/reports/{id}', () =>
    node.request(police, 'GET', `/v1/reports/${caseIds[next++ % caseIds.length]}`),
  );
  await time('GET /v1/reports?district&kind', () =>
    node.request(police, 'GET', `/v1/reports?district=${pick(DISTRICTS)}&kind=${pick(['missing', 'found'])}`),
  );
  await time('GET /v1/reports?q=<family name>', () => node.request(police, 'GET', `/v1/reports?q=${word()}`));
  await time('GET /v1/reports?q=<family name>&district', () =>
    node.request(police, 'GET', `/v1/reports?q=${word()}&district=${pick(DISTRICTS)}`),
  );
  await time('GET /v1/reports (DCPU: own district)', () => node.request(dcpu, 'GET', '/v1/reports'));
  await time('GET /v1/reports?status&district, page 2 (2 requests)', async () => {
    const first = (await (
      await node.request(police, 'GET', `/v1/reports?status=open&district=${pick(DISTRICTS)}`)
    ).json()) as { next: string };
    return node.request(police, 'GET', `/v1/reports?status=open&cursor=${first.next}`);
  });
  const few = Math.min(samples, 5);
  await time('GET /v1/statistics (node, all time)', () => node.request(admin, 'GET', '/v1/statistics'), few);
  await time(
    'GET /v1/statistics (node, one year)',
    () => node.request(admin, 'GET', '/v1/statistics?from=2025-01-01&to=2025-12-31'),
    few,
  );
  await time(
    'GET /v1/statistics (district, all time)',
    () => node.request(admin, 'GET', '/v1/statistics?district=Nadia'),
    few,
  );
  await time(
    'GET /v1/statistics (district, one month)',
    () => node.request(admin, 'GET', '/v1/statistics?district=Nadia&from=2025-03-01&to=2025-03-31'),
    few,
  );

  console.log(`\nload average at end (1, 5, 15 min): ${load()}\n`);
  console.log('| what | time | rate | reading and validating alone | CPU: this process / database |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(`${importLine}\n`);
  console.log('| what | samples | p50 | p95 | p99 |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of table) console.log(`| ${row.join(' | ')} |`);
} finally {
  await node.cleanup();
  await rm(dir, { recursive: true, force: true });
  if (!givenUrl && !values.keep) await dropDatabase(services.postgresUrl, databaseName);
  else console.log(`kept the database: ${url}`);
  await services.stop();
}

/**
 * CPU seconds used so far by the server processes serving this database's connections, read
 * from /proc (so only for a server on this machine that this user may inspect; NaN otherwise).
 * With the machine shared, wall-clock rates vary with other work; CPU time shows what the
 * import itself cost on each side.
 */
async function databaseCpuSeconds(): Promise<number> {
  const pids = rowsOf<{ pid: number }>(
    await db.execute(sql`select pid from pg_stat_activity where datname = current_database()`),
  );
  let seconds = 0;
  for (const { pid } of pids) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      // utime and stime, the 14th and 15th fields, in clock ticks (100 a second on Linux).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seconds += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return Number.NaN;
    }
  }
  return seconds;
}

/**
 * Status history for the statistics, written in bulk as the lifecycle routes would write it one
 * case at a time (next version of the case, a transition version with its snapshot): a fifth of
 * the cases matched 1–60 days after their report, half of those reunited up to 30 days later.
 */
async function addHistory(database: typeof db): Promise<void> {
  const move = (
    status: 'matched' | 'reunited',
    which: ReturnType<typeof sql>,
    days: ReturnType<typeof sql>,
  ) =>
    database.execute(sql`
      with moved as (
        update ${cases} set status = ${status}, version = version + 1, updated_at = ${days}
        where ${which}
        returning *
      )
      insert into ${caseVersions} (case_id, version, change, snapshot, changed_by, changed_at)
      select id, version, 'transition', ${caseSnapshotSql('moved')}, 'bench', updated_at from moved`);
  await move(
    'matched',
    sql`abs(hashtext(external_ref)) % 10 < 2`,
    sql`created_at + (1 + abs(hashtext(id)) % 60) * interval '1 day'`,
  );
  await move(
    'reunited',
    sql`status = 'matched' and abs(hashtext(external_ref)) % 10 = 0`,
    sql`updated_at + (1 + abs(hashtext(id)) % 30) * interval '1 day'`,
  );
}
