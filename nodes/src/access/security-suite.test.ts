// The security suite every route of the node runs through, driven by the route contracts
// (`nodeRoutes` and their x-khoj-permission) so that a new route is covered without being listed:
// deny by default, no credentials → 401, a role or token scope without the permission → 403 with
// nothing stored, other jurisdictions → 404 / 403, and no way in outside the contracts.
// In-process on PGlite (the PostgreSQL paths are covered by the access and audit tests). The
// reach over what other nodes sent (received summaries, cross-border candidates, queries, detail
// requests, exchange diagnostics) is the suite's part in foreign-data.security.test.ts.
import {
  nodeRoutes,
  PERMISSION_KEY,
  PERMISSIONS,
  type Permission,
  type ReportInput,
  ROLES,
  type Role,
} from '@khoj/contracts';
import { count, eq, getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeApp } from '../app.ts';
import * as schema from '../db/schema/index.ts';
import { cases } from '../db/schema/index.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { createToken } from './accounts.ts';
import { accessTable } from './authorize.ts';
import { permissionsOf } from './permissions.ts';

type ContractRoute = { method: string; path: string; access: unknown; name: string };

const ROUTES: ContractRoute[] = nodeRoutes.map((route) => {
  const access = (route as unknown as Record<string, unknown>)[PERMISSION_KEY];
  return {
    method: route.method.toUpperCase(),
    path: route.path,
    access,
    name: `${route.method.toUpperCase()} ${route.path}`,
  };
});
const PROTECTED = ROUTES.filter((route) => route.access !== 'public');
const WITH_PERMISSION = ROUTES.filter((route): route is ContractRoute & { access: Permission } =>
  (PERMISSIONS as readonly unknown[]).includes(route.access),
);

/**
 * The routes anyone may call: health, sign-in and citizen intake. Making another route public is
 * a decision this list records.
 */
const PUBLIC_ROUTES = [
  'GET /healthz',
  'POST /v1/auth/sign-in',
  'POST /v1/public/reports/missing',
  'POST /v1/public/sightings',
  'GET /v1/public/notices',
  'GET /v1/public/notices/{noticeId}/photo',
];

/** Every table of the node's schema: where a refused request could have left something. */
const TABLES = (Object.values(schema) as unknown[]).filter((value): value is PgTable => is(value, PgTable));

const missingChild: ReportInput = {
  kind: 'missing',
  child: { name: 'Rupa Mondal', sex: 'female', age: { years: 12 }, languages: ['bn'] },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-09-14',
  missing: { gdNumber: 'GD 1187/26', guardians: [{ name: 'Anil Mondal', relation: 'father', phones: [] }] },
};
const foundByCci: ReportInput = {
  kind: 'found',
  child: {
    sex: 'male',
    age: { estimateMin: 6, estimateMax: 8 },
    identifyingMarks: ['scar over the right eyebrow'],
  },
  place: { country: 'IN', state: 'WB', district: 'Nadia', description: 'Ranaghat railway station' },
  eventDate: '2026-10-02',
  found: { foundBy: 'cci', rescuedFromTrafficking: false },
};

/** A syntactically valid id for a path parameter (`caseId` → `case_` + 26 base36 characters). */
const placeholderId = (param: string) => `${param.replace(/Id$/, '')}_0123456789abcdefghijklmnop`;

type SampleRequest = { body?: unknown; headers?: Record<string, string> };

/**
 * A request the route accepts from a role that has its permission (the suite checks that it does):
 * refusing it is then the permission check, and a refusal that stores nothing means something.
 * A route not listed gets placeholder ids and a minimal `{}` body, and is only checked to get past
 * the permission check for a role that has the permission.
 */
const SAMPLE_REQUESTS: Record<string, SampleRequest> = {
  'POST /v1/reports': { body: missingChild },
  'PATCH /v1/reports/{caseId}': {
    body: { eventDate: '2026-09-13', reason: 'date corrected from the GD entry' },
    headers: { 'if-match': '"1"' },
  },
  'POST /v1/reports/{caseId}/transitions': { body: { to: 'under_review' }, headers: { 'if-match': '"1"' } },
  'POST /v1/reports/{caseId}/progress': {
    body: { type: 'follow_up', date: '2026-10-05', note: 'Spoke to the father at Ranaghat' },
  },
  'POST /v1/units': {
    body: { name: 'Chakdaha PS', type: 'police_station', country: 'IN', state: 'WB', district: 'Nadia' },
  },
  'GET /v1/reports': {},
  'GET /v1/reports/{caseId}': {},
  'GET /v1/reports/{caseId}/progress': {},
  'GET /v1/reports/{caseId}/versions': {},
  'GET /v1/units': {},
  'GET /v1/foreign-summaries': {},
  'GET /v1/exchange/refusals': {},
  'GET /v1/exchange/dead-letters': {},
  'GET /v1/reports/{caseId}/photos': {},
  'GET /v1/intake/queue': {},
  'GET /v1/statistics': {},
  'GET /v1/reports/{caseId}/candidates': {},
};

function requestFor(route: ContractRoute, caseId?: string) {
  const path = route.path.replace(/\{(\w+)\}/g, (_, param: string) =>
    param === 'caseId' && caseId ? caseId : placeholderId(param),
  );
  const sample = SAMPLE_REQUESTS[route.name];
  const unsafe = route.method !== 'GET' && route.method !== 'HEAD';
  return { path, body: sample?.body ?? (unsafe ? {} : undefined), headers: sample?.headers ?? {} };
}

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const json = (response: Response): Promise<any> => response.json();

describe('the security suite over every node route', () => {
  let node: TestNode;
  /** A full-scope token for one user of each role. */
  const tokens = {} as Record<Role, string>;
  const usernames = {} as Record<Role, string>;
  let policeA: string;
  let policeB: string;
  let cciA: string;
  let cciB: string;
  let dcpuNadia: string;
  let dcpuKolkata: string;

  beforeAll(async () => {
    node = await createTestNode('IN-WB');
    const nadia = { country: 'IN', state: 'WB', district: 'Nadia' };
    const kolkata = { country: 'IN', state: 'WB', district: 'Kolkata' };
    const unitFor: Record<Role, string> = {
      police_officer: (await node.unit({ type: 'police_station', ...nadia })).id,
      cci_staff: (await node.unit({ type: 'cci', ...nadia })).id,
      cwc_member: (await node.unit({ type: 'cwc', ...nadia })).id,
      dcpu_officer: (await node.unit({ type: 'dcpu', ...nadia })).id,
      scpu_officer: (await node.unit({ type: 'scpu', country: 'IN', state: 'WB', district: undefined })).id,
      ahtu_officer: (await node.unit({ type: 'ahtu', ...nadia })).id,
      dm_sp_viewer: (await node.unit({ type: 'district_administration', ...nadia })).id,
      node_admin: (await node.unit({ type: 'district_administration', ...kolkata })).id,
    };
    for (const role of ROLES) {
      const user = await node.user(role, unitFor[role]);
      tokens[role] = user.token;
      usernames[role] = user.username;
    }
    policeA = tokens.police_officer;
    policeB = (await node.user('police_officer', (await node.unit({ type: 'police_station', ...nadia })).id))
      .token;
    cciA = tokens.cci_staff;
    cciB = (await node.user('cci_staff', (await node.unit({ type: 'cci', ...nadia })).id)).token;
    dcpuNadia = tokens.dcpu_officer;
    dcpuKolkata = (await node.user('dcpu_officer', (await node.unit({ type: 'dcpu', ...kolkata })).id)).token;
  });
  afterAll(async () => {
    await node?.cleanup();
  });

  async function register(token: string, report: ReportInput = missingChild): Promise<string> {
    const response = await node.request(token, 'POST', '/v1/reports', report);
    expect(response.status).toBe(201);
    return (await json(response)).report.caseId;
  }

  /**
   * The case ids the list shows the holder of `token`, following `next` page by page (small pages,
   * so that the cursor is exercised too), or the status the list was refused with.
   */
  async function listAll(token: string): Promise<{ status: number; caseIds: string[] }> {
    const caseIds: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response = await node.request(token, 'GET', `/v1/reports?limit=10${query}`);
      if (response.status !== 200) return { status: response.status, caseIds };
      const page = await json(response);
      caseIds.push(...page.reports.map((report: { caseId: string }) => report.caseId));
      cursor = page.next;
    } while (cursor);
    return { status: 200, caseIds };
  }

  /** Rows in every table of the node (cases, units, versions, progress, audit log …). */
  async function footprint() {
    const rows: Record<string, number | undefined> = {};
    for (const table of TABLES) {
      rows[getTableName(table)] = (await node.services.db.select({ n: count() }).from(table))[0]?.n;
    }
    return rows;
  }

  describe('deny by default', () => {
    it('every route declares public, signed-in or a known permission', () => {
      const known = new Set<unknown>(['public', 'signed-in', ...PERMISSIONS]);
      const undeclared = ROUTES.filter((route) => !known.has(route.access)).map(
        (route) => `${route.name}: ${String(route.access)}`,
      );
      expect(undeclared).toEqual([]);
      expect(accessTable(nodeRoutes as unknown as Parameters<typeof accessTable>[0]).size).toBe(
        ROUTES.length,
      );
    });

    it('only health, sign-in and citizen intake are public', () => {
      expect(ROUTES.filter((route) => route.access === 'public').map((route) => route.name)).toEqual(
        PUBLIC_ROUTES,
      );
    });

    it('the node serves exactly the routes of the contracts, so this suite sees every one', () => {
      const served = new Set(
        node.app.routes
          .filter((route) => route.method !== 'ALL')
          .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`),
      );
      expect([...served].sort()).toEqual(ROUTES.map((route) => route.name).sort());
    });

    it('drops a route whose permission is not a known one, so it can never be reached', () => {
      const table = accessTable([
        { method: 'get', path: '/v1/children', [PERMISSION_KEY]: 'case.readall' },
        { method: 'get', path: '/v1/stats' },
        { method: 'get', path: '/v1/reports/{caseId}', [PERMISSION_KEY]: 'case.read' },
      ]);
      expect([...table.entries()]).toEqual([['GET /v1/reports/:caseId', 'case.read']]);
    });

    it('a handler registered without a contract is unreachable, even with a valid token', async () => {
      const app = createNodeApp(node.services);
      app.get('/v1/debug/children', (c) => c.json({ leaked: true }));
      const response = await app.request('/v1/debug/children', {
        headers: { authorization: `Bearer ${tokens.node_admin}` },
      });
      expect(response.status).toBe(404);
      expect((await json(response)).error.code).toBe('NOT_FOUND');
    });
  });

  describe('without credentials', () => {
    const garbage: [string, Record<string, string>][] = [
      ['no credentials', {}],
      ['an unknown bearer token', { authorization: `Bearer khoj_${'A'.repeat(43)}` }],
      ['a bearer token without the khoj_ prefix', { authorization: 'Bearer not-a-token' }],
      ['basic authentication', { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }],
      ['an unknown session cookie', { cookie: 'khoj_session=forged' }],
    ];
    it.each(PROTECTED.map((route) => [route.name, route] as const))(
      '%s answers 401 UNAUTHENTICATED',
      async (_, route) => {
        const before = await footprint();
        const { path, body, headers } = requestFor(route);
        for (const [what, credentials] of garbage) {
          const response = await node.request(undefined, route.method, path, body, {
            ...headers,
            ...credentials,
          });
          expect(response.status, what).toBe(401);
          expect((await json(response)).error.code, what).toBe('UNAUTHENTICATED');
        }
        expect(await footprint()).toEqual(before);
      },
    );
  });

  describe('without the permission', () => {
    /** The first role (in this order) that has the permission: the one the positive check uses. */
    const PREFERRED: Role[] = ['police_officer', 'node_admin', ...ROLES];
    const holderOf = (permission: Permission) =>
      PREFERRED.find((role) => permissionsOf(role).includes(permission));

    it.each(WITH_PERMISSION.map((route) => [route.name, route.access, route] as const))(
      '%s (%s) answers 403 FORBIDDEN to a role or token without it, storing nothing',
      async (_, permission, route) => {
        const caseId = await register(policeA);
        const lacking = ROLES.filter((role) => !permissionsOf(role).includes(permission));
        const holder = holderOf(permission);
        if (!holder) throw new Error(`no role has ${permission}`);
        const scoped = await createToken(
          node.services.db,
          {
            username: usernames[holder],
            name: `without ${permission}`,
            scopes: permissionsOf(holder).filter((action) => action !== permission),
            expiresAt: new Date(Date.now() + 3_600_000),
          },
          'test',
        );
        const refusedTo: [string, string][] = [
          ...lacking.map((role): [string, string] => [role, tokens[role]]),
          [`${holder} token scoped without ${permission}`, scoped.token],
        ];
        const { path, body, headers } = requestFor(route, caseId);
        const before = await footprint();
        for (const [who, token] of refusedTo) {
          const response = await node.request(token, route.method, path, body, headers);
          expect(response.status, who).toBe(403);
          expect((await json(response)).error, who).toMatchObject({
            code: 'FORBIDDEN',
            message: `your role may not ${permission}`,
          });
        }
        expect(await footprint()).toEqual(before);

        // The same request from a role with the permission gets past the permission check (and,
        // for a route with a sample request, succeeds): the refusals above were that check.
        const allowed = await node.request(tokens[holder], route.method, path, body, headers);
        const refusal = allowed.status === 403 ? (await json(allowed)).error.message : undefined;
        expect(allowed.status, holder).not.toBe(401);
        expect(refusal, holder).not.toBe(`your role may not ${permission}`);
        if (route.name in SAMPLE_REQUESTS) expect(allowed.status, holder).toBeLessThan(300);
      },
    );
  });

  describe('other jurisdictions', () => {
    it('a CCI cannot see a child registered by another CCI (404), which that CCI can', async () => {
      const caseId = await register(cciA, foundByCci);
      expect((await node.request(cciA, 'GET', `/v1/reports/${caseId}`)).status).toBe(200);
      for (const [method, path, body, headers] of [
        ['GET', `/v1/reports/${caseId}`],
        ['GET', `/v1/reports/${caseId}/progress`],
        ['GET', `/v1/reports/${caseId}/versions`],
        ['PATCH', `/v1/reports/${caseId}`, { publicNotice: true }, { 'if-match': '"1"' }],
        ['POST', `/v1/reports/${caseId}/progress`, { type: 'health', date: '2026-10-03', note: 'checked' }],
      ] as const) {
        const response = await node.request(cciB, method, path, body, headers);
        expect(response.status, `${method} ${path}`).toBe(404);
        expect((await json(response)).error.code).toBe('CASE_NOT_FOUND');
      }
      expect((await listAll(cciB)).caseIds).not.toContain(caseId);
      expect((await listAll(cciA)).caseIds).toContain(caseId);
    });

    it('a DCPU of one district gets 404 for a case of another district', async () => {
      const inKolkata = await register(policeA, {
        ...missingChild,
        place: { country: 'IN', state: 'WB', district: 'Kolkata' },
      });
      const nadia = await json(await node.request(dcpuNadia, 'GET', `/v1/reports/${inKolkata}`));
      expect(nadia.error.code).toBe('CASE_NOT_FOUND');
      expect((await node.request(dcpuKolkata, 'GET', `/v1/reports/${inKolkata}`)).status).toBe(200);
      const progress = await node.request(dcpuNadia, 'POST', `/v1/reports/${inKolkata}/progress`, {
        type: 'home_study',
        date: '2026-10-04',
        note: 'visit',
      });
      expect(progress.status).toBe(404);
    });

    it("a police officer gets 403 changing another unit's case, even with the right If-Match", async () => {
      const caseId = await register(policeA);
      for (const [method, path, body] of [
        ['PATCH', `/v1/reports/${caseId}`, { eventDate: '2026-09-12' }],
        ['POST', `/v1/reports/${caseId}/transitions`, { to: 'under_review' }],
        ['POST', `/v1/reports/${caseId}/progress`, { type: 'follow_up', date: '2026-10-05', note: 'x' }],
      ] as const) {
        const response = await node.request(policeB, method, path, body, { 'if-match': '"1"' });
        expect(response.status, `${method} ${path}`).toBe(403);
        expect((await json(response)).error.code).toBe('FORBIDDEN');
      }
      const [row] = await node.services.db.select().from(cases).where(eq(cases.id, caseId));
      expect(row).toMatchObject({ version: 1, status: 'open', eventDate: '2026-09-14' });
      // Police B still reads it (police see every report), and police A may change it.
      expect((await node.request(policeB, 'GET', `/v1/reports/${caseId}`)).status).toBe(200);
      const own = await node.request(
        policeA,
        'POST',
        `/v1/reports/${caseId}/transitions`,
        { to: 'under_review' },
        {
          'if-match': '"1"',
        },
      );
      expect(own.status).toBe(200);
    });

    // PATCH moves the placement_unit_id column that the access rules read along with the
    // report's found.placementUnitId (it used to stay at the old CCI).
    it('a child moved to another CCI is seen by the new CCI, and no longer by the old one', async () => {
      const placed = { foundBy: 'police', rescuedFromTrafficking: false } as const;
      const caseId = await register(policeA, {
        ...foundByCci,
        found: { ...placed, placementUnitId: await unitOf(cciA) },
      });
      expect((await node.request(cciA, 'GET', `/v1/reports/${caseId}`)).status).toBe(200);
      const moved = await node.request(
        policeA,
        'PATCH',
        `/v1/reports/${caseId}`,
        { found: { ...placed, placementUnitId: await unitOf(cciB) }, reason: 'transferred by CWC order' },
        { 'if-match': '"1"' },
      );
      expect(moved.status).toBe(200);
      expect((await json(moved)).report.found.placementUnitId).toBe(await unitOf(cciB));
      expect((await node.request(cciB, 'GET', `/v1/reports/${caseId}`)).status).toBe(200);
      expect((await node.request(cciA, 'GET', `/v1/reports/${caseId}`)).status).toBe(404);
    });

    it('for every role, the list shows exactly the cases GET lets it read', async () => {
      const placedInCciB = (
        await json(
          await node.request(policeB, 'POST', '/v1/reports', {
            ...foundByCci,
            found: { foundBy: 'police', rescuedFromTrafficking: true, placementUnitId: await unitOf(cciB) },
          }),
        )
      ).report.caseId as string;
      const registeredByCciA = await register(cciA, foundByCci);
      const created = [
        await register(policeA),
        await register(policeA, {
          ...missingChild,
          place: { country: 'IN', state: 'WB', district: 'Kolkata' },
        }),
        await register(policeA, {
          ...missingChild,
          place: { country: 'IN', state: 'BR', district: 'Aurangabad' },
        }),
        registeredByCciA,
        await register(tokens.ahtu_officer, {
          ...foundByCci,
          found: { foundBy: 'ahtu', rescuedFromTrafficking: true },
        }),
        placedInCciB,
      ];
      const everyCase = (await node.services.db.select({ id: cases.id }).from(cases)).map((row) => row.id);
      expect(everyCase).toEqual(expect.arrayContaining(created));
      const actors: [string, string][] = [
        ...ROLES.map((role): [string, string] => [role, tokens[role]]),
        ['police B', policeB],
        ['CCI B', cciB],
        ['DCPU Kolkata', dcpuKolkata],
      ];
      for (const [who, token] of actors) {
        const list = await listAll(token);
        if (list.status === 403) {
          // A role without case.read at all: every case is refused the same way.
          for (const caseId of everyCase) {
            expect((await node.request(token, 'GET', `/v1/reports/${caseId}`)).status, who).toBe(403);
          }
          continue;
        }
        expect(list.status, who).toBe(200);
        const listed = new Set(list.caseIds);
        expect(listed.size, `${who}: no case listed twice`).toBe(list.caseIds.length);
        const readable = new Set<string>();
        for (const caseId of everyCase) {
          const status = (await node.request(token, 'GET', `/v1/reports/${caseId}`)).status;
          expect([200, 404], `${who} GET ${caseId}`).toContain(status);
          if (status === 200) readable.add(caseId);
        }
        expect([...listed].sort(), who).toEqual([...readable].sort());
      }
      // The roles above do not all see the same cases: the comparison is not vacuous.
      const cciBSees = (await listAll(cciB)).caseIds;
      expect(cciBSees).toContain(placedInCciB);
      expect(cciBSees).not.toContain(registeredByCciA);
    });

    async function unitOf(token: string): Promise<string> {
      return (await json(await node.request(token, 'GET', '/v1/auth/me'))).unitId;
    }
  });

  describe('outside the contracts', () => {
    it('answers 404 to a path or method no contract has, even with a valid token, and changes nothing', async () => {
      const caseId = await register(policeA);
      const before = await footprint();
      for (const [method, path] of [
        ['DELETE', `/v1/reports/${caseId}`],
        ['PUT', `/v1/reports/${caseId}`],
        ['PUT', '/v1/units'],
        ['DELETE', '/v1/units'],
        ['POST', '/v1/auth/me'],
        ['GET', '/v1/users'],
        ['GET', '/v1/audit'],
        ['GET', '/v1/reports/'],
        ['GET', `/v1/reports/${caseId}/secrets`],
      ] as const) {
        for (const token of [tokens.node_admin, policeA]) {
          const response = await node.request(token, method, path, method === 'GET' ? undefined : {});
          expect(response.status, `${method} ${path}`).toBe(404);
          expect((await json(response)).error.code).toBe('NOT_FOUND');
        }
      }
      expect(await footprint()).toEqual(before);
      expect((await node.request(policeA, 'GET', `/v1/reports/${caseId}`)).status).toBe(200);
    });
  });
});
