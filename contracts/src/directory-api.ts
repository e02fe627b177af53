// The directory of stakeholders at a node: police stations, CCIs, CWCs, JJBs, DCPU/SCPU, AHTUs,
// district administrations, railway police, NGOs and helplines.
import { createRoute, z } from '@hono/zod-openapi';
import { PERMISSION_KEY } from './access-api.ts';
import { errorResponses } from './errors.ts';
import { jsonResponse } from './openapi-parts.ts';

export const UNIT_TYPES = [
  'police_station',
  'cci',
  'cwc',
  'jjb',
  'dcpu',
  'scpu',
  'ahtu',
  'district_administration',
  'railway_police',
  'ngo_helpline',
] as const;
export const UnitType = z.enum(UNIT_TYPES).openapi('UnitType');

export const UnitInput = z
  .object({
    name: z.string().trim().min(2).max(200),
    type: UnitType,
    country: z.string().regex(/^[A-Z]{2}$/),
    state: z.string().trim().min(1).max(100).optional(),
    district: z.string().trim().min(1).max(100).optional(),
    parentId: z
      .string()
      .regex(/^unit_[0-9a-z]+$/)
      .optional(),
    phones: z
      .array(z.string().regex(/^\+?[0-9 ()-]{5,20}$/))
      .max(10)
      .default([]),
    emails: z.array(z.email()).max(10).default([]),
    active: z.boolean().default(true),
  })
  .openapi('UnitInput');
export type UnitInput = z.input<typeof UnitInput>;

export const Unit = UnitInput.extend({ id: z.string(), createdAt: z.iso.datetime({ offset: true }) }).openapi(
  'Unit',
);

export const listUnitsRoute = createRoute({
  method: 'get',
  path: '/v1/units',
  operationId: 'listUnits',
  [PERMISSION_KEY]: 'unit.read',
  summary: 'Search the directory by name, type and district',
  request: {
    query: z.object({
      q: z.string().trim().min(1).max(100).optional(),
      type: UnitType.optional(),
      district: z.string().max(100).optional(),
      activeOnly: z.enum(['true', 'false']).default('true'),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: jsonResponse(z.object({ units: z.array(Unit) }).openapi('UnitList'), 'Matching units'),
    ...errorResponses(400, 401, 403),
  },
});

export const createUnitRoute = createRoute({
  method: 'post',
  path: '/v1/units',
  operationId: 'createUnit',
  [PERMISSION_KEY]: 'unit.manage',
  request: { body: { required: true, content: { 'application/json': { schema: UnitInput } } } },
  responses: { 201: jsonResponse(Unit, 'Created'), ...errorResponses(400, 401, 403, 404) },
});

export const directoryRoutes = [listUnitsRoute, createUnitRoute] as const;
