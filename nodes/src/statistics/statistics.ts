// Turns the aggregated rows of the statistics queries into the Statistics answer: fixed shapes
// (every status present, zero when none), rates, rounding. Plain functions, no I/O; the input is
// a few dozen aggregate rows, never case rows.
import { CASE_STATUSES, type Outcome, type Statistics, type StatusCounts } from '@khoj/contracts';
import type { StatsFilter } from './scope.ts';
import type { CountRow, OutcomeRow } from './statistics.store.ts';

type Kind = 'missing' | 'found';

export function zeroStatusCounts(): StatusCounts {
  return Object.fromEntries(CASE_STATUSES.map((status) => [status, 0])) as StatusCounts;
}

/**
 * The date `to` names, made exclusive: reports before the start of the next day (UTC). A bound
 * outside the years 1–9999 is left off: no report is registered beyond it, and PostgreSQL takes
 * neither year 0 nor the six-digit years JavaScript writes past 9999 (`to=9999-12-31` was a 500).
 */
export function periodBounds(from?: string, to?: string): { from?: Date; until?: Date } {
  const day = 86_400_000;
  const start = from ? new Date(`${from}T00:00:00Z`) : undefined;
  const until = to ? new Date(new Date(`${to}T00:00:00Z`).getTime() + day) : undefined;
  return {
    ...(start && withinYears(start) ? { from: start } : {}),
    ...(until && withinYears(until) ? { until } : {}),
  };
}

function withinYears(instant: Date): boolean {
  const year = instant.getUTCFullYear();
  return year >= 1 && year <= 9999;
}

export function buildStatistics(input: {
  filter: StatsFilter;
  period: { from?: string | undefined; to?: string | undefined };
  generatedAt: Date;
  counts: CountRow[];
  outcomes: OutcomeRow[];
  unitNames: Map<string, string>;
}): Statistics {
  const { counts } = input;
  const byKind = { missing: zeroStatusCounts(), found: zeroStatusCounts() };
  const districts = new Map<string, Statistics['byDistrict'][number]>();
  const months = new Map<string, Statistics['byMonth'][number]>();
  const inCare: Statistics['inCare'] = { total: 0, byStatus: zeroStatusCounts(), byUnit: [] };
  const careUnits = new Map<string, Statistics['inCare']['byUnit'][number]>();

  for (const row of counts) {
    if (row.grouping === 'status' && row.kind && row.status) {
      byKind[row.kind][row.status] += row.count;
    } else if (row.grouping === 'district' && row.kind) {
      const key = JSON.stringify([row.state, row.district]);
      const entry = districts.get(key) ?? { state: row.state, district: row.district, ...zeroKinds() };
      addKind(entry, row.kind, row.count);
      districts.set(key, entry);
    } else if (row.grouping === 'month' && row.kind && row.month) {
      const entry = months.get(row.month) ?? { month: row.month, ...zeroKinds() };
      addKind(entry, row.kind, row.count);
      months.set(row.month, entry);
    } else if (row.grouping === 'care' && row.placementUnitId && row.status) {
      const unitId = row.placementUnitId;
      const entry = careUnits.get(unitId) ?? {
        unitId,
        name: input.unitNames.get(unitId) ?? unitId,
        total: 0,
        byStatus: zeroStatusCounts(),
      };
      entry.total += row.count;
      entry.byStatus[row.status] += row.count;
      inCare.total += row.count;
      inCare.byStatus[row.status] += row.count;
      careUnits.set(unitId, entry);
    }
  }
  inCare.byUnit = [...careUnits.values()].sort((a, b) => b.total - a.total || compare(a.name, b.name));

  const total = CASE_STATUSES.reduce((sum, status) => sum + byKind.missing[status] + byKind.found[status], 0);
  const reportsOf = (kind: Kind) => CASE_STATUSES.reduce((sum, status) => sum + byKind[kind][status], 0);
  const outcomeOf = (kind: Kind) =>
    toOutcome(
      reportsOf(kind),
      input.outcomes.find((row) => row.kind === kind),
    );
  return {
    scope: {
      level: input.filter.level,
      country: input.filter.country ?? null,
      state: input.filter.state ?? null,
      district: input.filter.district ?? null,
    },
    period: { from: input.period.from ?? null, to: input.period.to ?? null },
    generatedAt: input.generatedAt.toISOString(),
    total,
    byKind,
    byDistrict: [...districts.values()].sort(
      (a, b) => compare(a.state ?? '', b.state ?? '') || compare(a.district ?? '', b.district ?? ''),
    ),
    byMonth: [...months.values()].sort((a, b) => compare(a.month, b.month)),
    outcomes: { missing: outcomeOf('missing'), found: outcomeOf('found') },
    inCare,
  };
}

/** `reports`: all the reports of the kind in scope; `row`: those of them that reached an outcome. */
function toOutcome(reports: number, row: OutcomeRow | undefined): Outcome {
  const matched = row?.matched ?? 0;
  const reunited = row?.reunited ?? 0;
  return {
    reports,
    matched,
    reunited,
    matchedRate: reports === 0 ? null : round(matched / reports, 4),
    reunitedRate: reports === 0 ? null : round(reunited / reports, 4),
    medianDaysToMatch: nullableRound(row?.medianDaysToMatch ?? null, 1),
    medianDaysToReunion: nullableRound(row?.medianDaysToReunion ?? null, 1),
  };
}

const zeroKinds = () => ({ missing: 0, found: 0, total: 0 });

function addKind(entry: { missing: number; found: number; total: number }, kind: Kind, count: number) {
  entry[kind] += count;
  entry.total += count;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Drivers may hand percentile_cont's double back as a string; null stays null. */
function nullableRound(value: number | string | null, digits: number): number | null {
  return value === null ? null : round(Number(value), digits);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
