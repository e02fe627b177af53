// GET /v1/statistics: figures for the reports inside the caller's reach (district, state or the
// whole node), for a period of registration. Aggregates only — no child is named or described —
// so the answer is not audited as a read of personal data.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { statisticsRoute } from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import { sql } from 'drizzle-orm';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { statsScope } from './scope.ts';
import { caseOutcomes, countCases, scopeCondition, unitNames } from './statistics.store.ts';
import { buildStatistics, periodBounds } from './statistics.ts';

export function registerStatisticsRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  app.openapi(statisticsRoute, async (c) => {
    const { from, to, district } = c.req.valid('query');
    if (from && to && from > to)
      throw new ApiError('VALIDATION_FAILED', `from (${from}) is after to (${to})`);
    const scope = statsScope(c.get('actor'), district);
    if (!scope.ok) throw new ApiError(scope.code, scope.message);
    const where = scopeCondition(scope.filter, periodBounds(from, to));
    const generatedAt = services.clock();
    // One snapshot for all the queries, so that the totals agree with each other.
    const { counts, outcomes, names } = await services.db.transaction(
      async (tx) => {
        // JIT compilation cost 1.4–1.7 s per query at 1 M cases, more than it ever saved on
        // these one-pass aggregates (PGlite has no JIT and accepts the setting).
        await tx.execute(sql`set local jit = off`);
        const counts = await countCases(tx, where);
        const outcomes = await caseOutcomes(tx, where);
        const cciIds = counts
          .filter((row) => row.grouping === 'care')
          .flatMap((row) => (row.placementUnitId ? [row.placementUnitId] : []));
        return { counts, outcomes, names: await unitNames(tx, [...new Set(cciIds)]) };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    return c.json(
      buildStatistics({
        filter: scope.filter,
        period: { from, to },
        generatedAt,
        counts,
        outcomes,
        unitNames: names,
      }),
      200,
    );
  });
}
