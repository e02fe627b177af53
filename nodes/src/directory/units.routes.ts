// GET /v1/units (search by name, type, district) and POST /v1/units (administrators).
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createUnitRoute, listUnitsRoute } from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import { appendAudit } from '../audit/audit.store.ts';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { findUnit, insertUnit, searchUnits, toUnit } from './units.store.ts';

export function registerUnitRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  app.openapi(listUnitsRoute, async (c) => {
    const query = c.req.valid('query');
    const rows = await searchUnits(services.db, { ...query, activeOnly: query.activeOnly === 'true' });
    return c.json({ units: rows.map(toUnit) }, 200);
  });

  app.openapi(createUnitRoute, async (c) => {
    const input = c.req.valid('json');
    const actor = c.get('actor');
    const row = await services.db.transaction(async (tx) => {
      if (input.parentId && !(await findUnit(tx, input.parentId))) {
        throw new ApiError('UNIT_NOT_FOUND', `no parent unit ${input.parentId}`);
      }
      const row = await insertUnit(tx, input);
      await appendAudit(tx, {
        actorId: actor.userId,
        unitId: actor.unitId,
        action: 'unit.create',
        recordType: 'unit',
        recordId: row.id,
        requestId: c.get('requestId'),
      });
      return row;
    });
    return c.json(toUnit(row), 201);
  });
}
