// Statistics for the people who oversee children in a district, a state or the whole node (DM/SP,
// CWC, DCPU, SCPU, node administrators): counts, outcome rates, time to match and to reunion, and
// children in care. Aggregates only: nothing here names or describes a child.
import { createRoute, z } from '@hono/zod-openapi';
import { PERMISSION_KEY } from './access-api.ts';
import { errorResponses } from './errors.ts';
import { calendarDate, jsonResponse } from './openapi-parts.ts';

const Count = z.number().int().min(0);

export const StatisticsQuery = z.object({
  /** First day of reports counted, YYYY-MM-DD (UTC); absent: from the first report. */
  from: calendarDate().optional(),
  /** Last day of reports counted, inclusive, YYYY-MM-DD (UTC); absent: up to now. */
  to: calendarDate().optional(),
  /** One district inside the caller's reach; absent: the whole reach. */
  district: z.string().trim().min(1).max(100).optional(),
});

/** How many cases are in each status (every status present, zero when none). */
export const StatusCounts = z
  .object({
    open: Count,
    under_review: Count,
    matched: Count,
    reunited: Count,
    transferred: Count,
    closed: Count,
  })
  .openapi('StatusCounts');
export type StatusCounts = z.infer<typeof StatusCounts>;

const KindCounts = { missing: Count, found: Count, total: Count };

/**
 * What became of the reports of one kind registered in the period (whenever it happened). A case
 * counts as matched when its latest match stands (a match undone by moving back to open does not
 * count); days run from registration to that match, and to the first reunion.
 */
export const Outcome = z
  .object({
    reports: Count,
    matched: Count,
    reunited: Count,
    /** matched / reports; null when there are no reports. */
    matchedRate: z.number().min(0).max(1).nullable(),
    reunitedRate: z.number().min(0).max(1).nullable(),
    /** Median days (to 0.1) from registration to the standing match; null when none matched. */
    medianDaysToMatch: z.number().nullable(),
    medianDaysToReunion: z.number().nullable(),
  })
  .openapi('CaseOutcome');
export type Outcome = z.infer<typeof Outcome>;

export const Statistics = z
  .object({
    /** Where the figures come from: the caller's reach, narrowed by `district` if given. */
    scope: z.object({
      level: z.enum(['node', 'state', 'district', 'unit']),
      country: z.string().nullable(),
      state: z.string().nullable(),
      district: z.string().nullable(),
    }),
    /** Reports registered (createdAt) in this period are counted; null bounds are open. */
    period: z.object({ from: z.iso.date().nullable(), to: z.iso.date().nullable() }),
    generatedAt: z.iso.datetime({ offset: true }),
    total: Count,
    byKind: z.object({ missing: StatusCounts, found: StatusCounts }),
    byDistrict: z.array(
      z.object({ state: z.string().nullable(), district: z.string().nullable(), ...KindCounts }),
    ),
    /** Calendar months of registration (UTC), oldest first; months without reports are absent. */
    byMonth: z.array(z.object({ month: z.string().regex(/^\d{4}-\d{2}$/), ...KindCounts })),
    outcomes: z.object({ missing: Outcome, found: Outcome }),
    /** Children placed in a CCI (found reports with a placement), by status and by CCI. */
    inCare: z.object({
      total: Count,
      byStatus: StatusCounts,
      byUnit: z.array(
        z.object({ unitId: z.string(), name: z.string(), total: Count, byStatus: StatusCounts }),
      ),
    }),
  })
  .openapi('Statistics');
export type Statistics = z.infer<typeof Statistics>;

export const statisticsRoute = createRoute({
  method: 'get',
  path: '/v1/statistics',
  operationId: 'getStatistics',
  [PERMISSION_KEY]: 'stats.read',
  summary: 'Counts by kind, status, district and month; match and reunion rates and times; children in care',
  request: { query: StatisticsQuery },
  responses: {
    200: jsonResponse(Statistics, 'Figures for the reports inside your reach'),
    ...errorResponses(400, 401, 403),
  },
});

export const statisticsRoutes = [statisticsRoute] as const;
