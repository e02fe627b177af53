// Runs the fuzz over every route of one API: each route gets its share of the runs (a fixed
// seed per route, so a run is repeatable), every answer is checked (checks.ts), and the database
// is compared before and after each route's requests. Findings are collected, not thrown at the
// first one, so that one run shows everything; the test asserts there are none.
import fc from 'fast-check';
import {
  type Answer,
  answerProblems,
  changedTables,
  type DatabaseSnapshot,
  describeRequest,
  readAnswer,
} from './checks.ts';
import { type FuzzContext, type FuzzRequest, requestFor } from './requests.ts';
import type { FuzzRoute } from './routes.ts';

/** The default seed: CI runs the same requests every time. */
export const DEFAULT_FUZZ_SEED = 20_261_204;
export const DEFAULT_FUZZ_RUNS = 10_000;

/** Seed and number of requests per API; KHOJ_FUZZ_SEED / KHOJ_FUZZ_RUNS override them. */
export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): { seed: number; runs: number } {
  const seed = Number(env.KHOJ_FUZZ_SEED ?? DEFAULT_FUZZ_SEED);
  const runs = Number(env.KHOJ_FUZZ_RUNS ?? DEFAULT_FUZZ_RUNS);
  if (!Number.isSafeInteger(seed))
    throw new Error(`KHOJ_FUZZ_SEED must be an integer, not ${env.KHOJ_FUZZ_SEED}`);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`KHOJ_FUZZ_RUNS must be a positive integer`);
  return { seed, runs };
}

export type FuzzTarget = {
  name: string;
  routes: readonly FuzzRoute[];
  context: FuzzContext;
  /** Sends the request to the API (in-process) as its caller. */
  send(request: FuzzRequest): Response | Promise<Response>;
  /** The stored data a request to `route` must leave as it was. */
  snapshot(route: FuzzRoute): Promise<DatabaseSnapshot>;
  /** A route's share of the runs, relative to the others (default 1). */
  weight?(route: FuzzRoute): number;
};

export type Finding = { route: string; problem: string; count: number; example: string };

export type FuzzReport = {
  seed: number;
  requests: number;
  perRoute: Record<string, number>;
  statuses: Record<string, number>;
  /** Statuses by what each request set out to break, e.g. `body-depth` → { 400: 312 }. */
  intents: Record<string, Record<string, number>>;
  findings: Finding[];
  milliseconds: number;
};

/** The request as fetch would send it; the headers as given (credentials first). */
export function toRequest(request: FuzzRequest): Request {
  return new Request(`http://localhost${request.url}`, {
    method: request.method,
    headers: [...Object.entries(request.credentials), ...request.headers],
    ...(request.body ? { body: request.body } : {}),
  });
}

export async function fuzzApi(
  target: FuzzTarget,
  settings: { seed: number; runs: number },
): Promise<FuzzReport> {
  const started = performance.now();
  const weights = target.routes.map((route) => target.weight?.(route) ?? 1);
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const report: FuzzReport = {
    seed: settings.seed,
    requests: 0,
    perRoute: {},
    statuses: {},
    intents: {},
    findings: [],
    milliseconds: 0,
  };
  const found = new Map<string, Finding>();
  const note = (route: string, problem: string, example: string) => {
    // One finding per route and kind of problem (the status, not the request id that varies).
    const key = `${route} ${problem.replace(/req_\w+/g, 'req_…').slice(0, 120)}`;
    const known = found.get(key);
    if (known) known.count++;
    else found.set(key, { route, problem, count: 1, example });
  };

  for (const [index, route] of target.routes.entries()) {
    const numRuns = Math.max(1, Math.ceil((settings.runs * (weights[index] ?? 1)) / totalWeight));
    const before = target.context.wellFormed ? {} : await target.snapshot(route);
    let sent = 0;
    const property = fc.asyncProperty(requestFor(route, target.context), async (request) => {
      sent++;
      let answer: Answer;
      try {
        answer = await readAnswer(await target.send(request));
      } catch (error) {
        note(
          route.key,
          `threw: ${error instanceof Error ? error.message : String(error)}`,
          describeRequest(request),
        );
        return true;
      }
      report.statuses[answer.status] = (report.statuses[answer.status] ?? 0) + 1;
      const intent = report.intents[request.intent] ?? {};
      intent[answer.status] = (intent[answer.status] ?? 0) + 1;
      report.intents[request.intent] = intent;
      for (const problem of answerProblems(request, answer))
        note(route.key, problem, describeRequest(request));
      return true;
    });
    try {
      const details = await fc.check(property, { seed: settings.seed + index, numRuns, endOnFailure: true });
      if (details.failed) note(route.key, `fuzz: ${String(details.errorInstance)}`, `seed ${details.seed}`);
    } catch (error) {
      // A generator that throws is a bug in the fuzz itself: reported like any finding.
      note(
        route.key,
        `fuzz: ${error instanceof Error ? error.stack : String(error)}`,
        `seed ${settings.seed + index}`,
      );
    }
    report.perRoute[route.key] = sent;
    report.requests += sent;
    const changed = target.context.wellFormed ? [] : changedTables(before, await target.snapshot(route));
    if (changed.length) note(route.key, `data-changed: ${changed.join(', ')}`, `after ${sent} requests`);
  }
  report.findings = [...found.values()];
  report.milliseconds = Math.round(performance.now() - started);
  return report;
}

/** The report as a person reads it: the totals, then each finding with one request that shows it. */
export function formatReport(name: string, report: FuzzReport): string {
  const statuses = Object.entries(report.statuses)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  const lines = [
    `${name}: ${report.requests} requests over ${Object.keys(report.perRoute).length} routes in ` +
      `${report.milliseconds} ms (seed ${report.seed}; statuses ${statuses})`,
  ];
  for (const [intent, byStatus] of Object.entries(report.intents).sort()) {
    const counts = Object.entries(byStatus).map(([status, count]) => `${status}×${count}`);
    lines.push(`  ${intent}: ${counts.join(' ')}`);
  }
  for (const finding of report.findings) {
    lines.push(
      `  ${finding.route} — ${finding.problem} (×${finding.count})`,
      `      e.g. ${finding.example}`,
    );
  }
  return lines.join('\n');
}
