// The fuzz finds what it is for: an app with a 5xx on an edge value, a refusal that leaks SQL, a
// refused request that still writes, and a route that accepts what it should refuse — and says
// nothing about a route that has none of these.
import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { createServiceApp, errorResponse, type RequestVariables } from '../../http.ts';
import { fuzzApi, fuzzRoutes, toRequest } from './index.ts';

const ACCESS = 'x-fuzz-access';
const ThingId = z.string().regex(/^thing_[0-9a-z]{4,10}$/);

const thing = createRoute({
  method: 'get',
  path: '/things/{thingId}',
  [ACCESS]: 'public',
  request: {
    params: z.object({ thingId: ThingId }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(10).optional() }),
  },
  responses: { 200: { description: 'A thing' }, 404: { description: 'None' } },
});
const create = createRoute({
  method: 'post',
  path: '/things',
  [ACCESS]: 'public',
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ name: z.string().min(1).max(20) }) } },
    },
  },
  responses: { 201: { description: 'Stored' } },
});
const archive = createRoute({
  method: 'post',
  path: '/things/{thingId}/archive',
  [ACCESS]: 'public',
  request: { params: z.object({ thingId: ThingId }) },
  responses: { 200: { description: 'Archived' }, 404: { description: 'None' } },
});
const leaky = createRoute({
  method: 'get',
  path: '/leaky',
  [ACCESS]: 'public',
  request: { query: z.object({ q: z.string().max(5).optional() }) },
  responses: { 200: { description: 'Fine' } },
});
const clean = createRoute({
  method: 'get',
  path: '/clean',
  [ACCESS]: 'public',
  responses: { 200: { description: 'Fine' } },
});
const routes = [thing, create, archive, leaky, clean];

function plantedApp() {
  const stored = { writes: 0 };
  const app = createServiceApp<{ Variables: RequestVariables }>({
    service: 'fuzz self-test',
    maxBodyBytes: 64 * 1024,
    log: () => undefined,
  });
  app.openapi(thing, (c) => {
    // Planted: the largest page the contract allows fails.
    if (c.req.valid('query').limit === 10) throw new Error('limit out of range');
    return errorResponse(c, 'NOT_FOUND', 'no such thing');
  });
  // Planted: counts every request, before the body is checked.
  app.use('/things', async (_c, next) => {
    stored.writes++;
    await next();
  });
  app.openapi(create, (c) => c.json({}, 201));
  // Planted: answers 200 for a thing that does not exist.
  app.openapi(archive, (c) => c.json({}, 200));
  app.openapi(leaky, (c) =>
    c.req.valid('query').q
      ? errorResponse(c, 'VALIDATION_FAILED', 'syntax error at or near "select * from things"')
      : c.json({}, 200),
  );
  app.openapi(clean, (c) => c.json({ fine: true }, 200));
  return { app, stored };
}

describe('the fuzz', () => {
  it('reports a 5xx, a leak, a write on refusal and an accepted malformed request, and nothing else', async () => {
    const { app, stored } = plantedApp();
    const document = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'planted', version: '1' } });
    const report = await fuzzApi(
      {
        name: 'planted',
        routes: fuzzRoutes(routes, document, (route) => route[ACCESS]),
        context: {
          callers: [{ name: 'anyone', passes: () => true }],
          knownIds: [],
          maxBodyBytes: 64 * 1024,
          refusedWhenWellFormed: new Set(),
        },
        send: (request) => app.request(toRequest(request)),
        snapshot: async () => ({ things: String(stored.writes) }),
      },
      { seed: 42, runs: 500 },
    );
    const problems = report.findings.map((finding) => `${finding.route} ${finding.problem.split(':')[0]}`);
    expect(report.requests).toBeGreaterThanOrEqual(500);
    expect(new Set(problems)).toEqual(
      new Set([
        'GET /things/{thingId} server-error',
        'POST /things data-changed',
        'POST /things/{thingId}/archive accepted-malformed',
        'GET /leaky leak',
      ]),
    );
  });
});
