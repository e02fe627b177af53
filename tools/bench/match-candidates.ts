// Benchmark of a node's matcher (issue: candidates for one new report, p95 <= 50 ms at 1 M cases
// on PostgreSQL, <= 250 ms at 100k cases on PGlite). Reports come from the benchmark generator
// (`khoj synth`, run as a black box), are imported with the node's import code and indexed with
// the matcher's bulk path; then, per sample, one more report arrives and is timed two ways:
//   candidates  blocking in the database, loading and scoring the candidates (read only)
//   match       what the worker does for a new report: keys and profile written, blocked,
//               scored, candidates and matched_version written
//
//   node tools/bench/match-candidates.ts --cases 100000                     (PGlite)
//   node tools/bench/match-candidates.ts --cases 1000000 --db postgres      (PostgreSQL from
//        KHOJ_BENCH_DATABASE_URL, else a local server started for the run)
//
// A KHOJ_BENCH_DATABASE_URL database that already holds this benchmark's reports (from an earlier
// run: all cases imported and indexed) is reused as it is: building 1 M cases takes long. The
// arriving reports are then first taken out of the pool again (profile, keys and candidates).
// Besides p50/p95/p99 per report, the candidates lookup is split into its stages (blocking query,
// loading profiles and proposals, preparing and scoring); the load average is printed with them.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importFile, matching } from '@khoj/node';
import { sql } from 'drizzle-orm';
import type { ScoreTimings } from '../../nodes/src/matching/matcher.ts';
import { forgetProfiles, rowsOf } from '../../nodes/src/matching/matching.store.ts';
import { createTestNode } from '../../nodes/src/testing/test-node.ts';
import { createDatabase, startTestServices } from '../../tests/infra/services.ts';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    samples: { type: 'string', default: '200' },
    db: { type: 'string', default: 'pglite' },
    data: { type: 'string', default: '/tmp/khoj-bench-data' },
  },
});
const total = Number(values.cases);
const samples = Number(values.samples);
// The generator's own proportions for the benchmark: four missing reports to one found.
const missingCount = Math.round(total * 0.8);
const foundCount = total - missingCount + samples;

const cpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const started = performance.now();
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
const say = (message: string) =>
  console.log(
    `[${((performance.now() - started) / 1000).toFixed(0)} s, cpu ${cpu().toFixed(0)} s, load ${load()}] ${message}`,
  );

/** Seed-1 files with at least the counts wanted, made by `khoj synth` unless already there. */
function benchmarkFiles(): { missing: string; found: string } {
  const dir = join(values.data, `seed-1-${missingCount}-${foundCount}`);
  const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0);
  const shared = { missing: join(values.data, 'missing.jsonl'), found: join(values.data, 'found.jsonl') };
  if (lines(shared.missing) === missingCount && lines(shared.found) === foundCount) return shared;
  const own = { missing: join(dir, 'missing.jsonl'), found: join(dir, 'found.jsonl') };
  if (lines(own.missing) !== missingCount || lines(own.found) !== foundCount) {
    say(`generating ${missingCount} missing and ${foundCount} found reports with khoj synth`);
    const bin = new URL('../bin/khoj.js', import.meta.url).pathname;
    execFileSync(
      process.execPath,
      [
        bin,
        'synth',
        '--seed',
        '1',
        '--missing',
        String(missingCount),
        '--found',
        String(foundCount),
        '--out',
        dir,
      ],
      {
        stdio: 'inherit',
      },
    );
  }
  return own;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
function summary(label: string, durations: number[]): string {
  const sorted = [...durations].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1);
  return `${label.padEnd(12)} p50 ${f(percentile(sorted, 50))} ms  p95 ${f(percentile(sorted, 95))} ms  p99 ${f(percentile(sorted, 99))} ms`;
}

await mkdir(values.data, { recursive: true });
let databaseUrl: string | undefined;
let stopServices: (() => Promise<void>) | undefined;
if (values.db === 'postgres') {
  if (process.env.KHOJ_BENCH_DATABASE_URL) databaseUrl = process.env.KHOJ_BENCH_DATABASE_URL;
  else {
    const services = await startTestServices();
    stopServices = services.stop;
    databaseUrl = await createDatabase(services.postgresUrl, `bench_match_${Date.now()}`);
  }
}
const node = await createTestNode('IN-WB', databaseUrl);
const { db } = node.services;
const count = async (table: 'cases' | 'match_profiles') =>
  rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]
    ?.n ?? 0;
try {
  // The last `samples` found reports arrive one at a time below.
  const arrivingOf = async () =>
    rowsOf<{ id: string }>(
      await db.execute(sql`
        select id from cases where kind = 'found' order by external_ref desc limit ${samples}`),
    ).map((row) => row.id);
  let arrivingIds: string[];
  const imported = (await count('cases')) === total + samples;
  if (imported && (await count('match_profiles')) >= total) {
    arrivingIds = await arrivingOf();
    await db.transaction((tx) => forgetProfiles(tx, arrivingIds));
    await db.execute(sql`delete from match_candidates where found_case_id in ${arrivingIds}`);
    say(`reusing the ${total + samples} reports already in the database`);
  } else {
    if (!imported) {
      const files = benchmarkFiles();
      const unit = await node.unit({ type: 'police_station' });
      for (const path of [files.missing, files.found]) {
        const summary = await importFile(db, path, { ownerUnitId: unit.id, importedBy: 'bench' });
        say(`${path}: ${summary.imported} imported, ${summary.invalid} invalid`);
      }
    }
    // Take the arriving reports out of the pool first.
    arrivingIds = await arrivingOf();
    await db.execute(sql`update cases set status = 'closed' where id in ${arrivingIds}`);
    // An earlier run that was stopped while indexing goes on where it stopped.
    const [last] = rowsOf<{ id: string | null }>(
      await db.execute(sql`select max(case_id) as id from match_profiles`),
    );
    if (last?.id) say(`indexing on after ${last.id}`);
    let done = 0;
    const indexed = await matching.indexAllCases(db, {
      batch: 5_000,
      ...(last?.id ? { after: last.id } : {}),
      onProgress: (rows) => {
        done += rows;
        if (done % 100_000 < rows) say(`indexed ${done} cases`);
      },
    });
    say(`indexed ${indexed} reports (profiles and blocking keys)`);
    await db.execute(sql`update cases set status = 'open' where id in ${arrivingIds}`);
  }
  const pool = await count('match_profiles');

  const matcher = matching.createMatcher({ db, thresholds: matching.matchThresholds({}) });
  // Warm-up: the first queries plan and fill caches (name frequencies are counted once).
  const warmUp = rowsOf<{ id: string }>(
    await db.execute(sql`select case_id as id from match_profiles where side = 'found' limit 20`),
  );
  for (const { id } of warmUp) await matcher.scoreProbes([id]);

  const candidates: number[] = [];
  const matched: number[] = [];
  const stages: Required<ScoreTimings>[] = [];
  let scoredPairs = 0;
  let written = 0;
  for (const id of arrivingIds) {
    let at = performance.now();
    const pass = await matcher.matchCases([id]);
    matched.push(performance.now() - at);
    written += pass.candidates;
    const timings = { block: 0, load: 0, score: 0 };
    at = performance.now();
    scoredPairs += (await matcher.scoreProbes([id], timings)).length;
    candidates.push(performance.now() - at);
    stages.push(timings);
  }
  say(`${samples} new found reports against ${pool} reports on ${node.services.databaseKind}`);
  console.log(summary('candidates', candidates));
  for (const stage of ['block', 'load', 'score'] as const)
    console.log(
      summary(
        `  ${stage}`,
        stages.map((timings) => timings[stage]),
      ),
    );
  console.log(summary('match', matched));
  console.log(
    `  ${(scoredPairs / samples).toFixed(0)} candidates scored per report, ${(written / samples).toFixed(1)} written; load ${load()}`,
  );
} finally {
  await node.cleanup();
  await stopServices?.();
}
