// Fuzz of the node API, in-process on PGlite: every route of the contracts (and so of the
// committed OpenAPI document) gets its share of ten thousand malformed requests, as officers of
// several roles, as an administrator, through a session cookie, with junk credentials and with
// none. No answer may be a 5xx or carry a stack trace or SQL, and no request may change stored
// data (then a fifth as many well-formed requests with edge values, which may change data but
// must not fail either). Two tables are left out of the comparison, as they change by design:
// - sign_in_counters: the sign-in throttle counts every attempt that does not succeed;
// - audit_log, for GET routes only: a read of children's records is audited even when it finds
//   nothing. A refused change must not write to it.
// KHOJ_FUZZ_SEED and KHOJ_FUZZ_RUNS reproduce a run or make it longer (platform/src/testing/fuzz).
import { readFile } from 'node:fs/promises';
import { nodeOpenApiDocument, nodeRoutes, PERMISSION_KEY, type ReportInput } from '@khoj/contracts';
import {
  type FuzzCaller,
  type FuzzTarget,
  formatReport,
  fuzzApi,
  fuzzRoutes,
  fuzzSettings,
  snapshotDatabase,
  toRequest,
} from '@khoj/platform/testing/fuzz';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOf, type Role } from '../access/permissions.ts';
import { createTestNode, TEST_PASSWORD, type TestNode } from '../testing/test-node.ts';

const CHANGED_BY_REFUSALS = new Set(['sign_in_counters']);
const CHANGED_BY_READS = new Set([...CHANGED_BY_REFUSALS, 'audit_log']);
const MAX_BODY_BYTES = 3 * 1024 * 1024;

const missingChild: ReportInput = {
  kind: 'missing',
  child: { name: 'Montu Debnath', aliases: ['Bappa'], sex: 'male', age: { years: 9 }, languages: ['bn'] },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-10-30',
  missing: {
    firNumber: 'RNG-412/26',
    guardians: [{ name: 'Sabita Debnath', relation: 'mother', phones: ['+91 90000 00000'] }],
  },
  consent: {
    purposes: ['reunification'],
    recipients: ['IN-*', 'BD'],
    fields: 'standard',
    legalBasis: 'guardian_consent',
    expiresAt: '2027-10-30T00:00:00.000Z',
    grantedBy: 'SI, Ranaghat PS',
  },
};

/** Credentials that authenticate no one: unknown tokens, odd schemes, a forged session cookie. */
const junkCredentials = fc.oneof(
  fc
    .base64String({ minLength: 44, maxLength: 44 })
    .map((secret) => ({ authorization: `Bearer khoj_${secret}` })),
  fc.constantFrom<Record<string, string>>(
    { authorization: 'Bearer' },
    { authorization: 'Bearer khoj_' },
    { authorization: 'Basic cG9saWNlOnBhc3N3b3Jk' },
    { authorization: 'Bearer a b' },
    { authorization: `Bearer khoj_${'a'.repeat(65_536)}` },
    { cookie: 'khoj_session=forged' },
    { cookie: 'khoj_session=%zz%00' },
    { cookie: `khoj_session=${'s'.repeat(10_000)}`, 'x-csrf-token': 'forged' },
  ),
);

describe('node API fuzz', () => {
  const settings = fuzzSettings();
  let node: TestNode;
  let target: FuzzTarget;

  beforeAll(async () => {
    node = await createTestNode('IN-WB');
    await node.addMembers('IN-BR', 'BD', 'NP');
    const station = await node.unit({ type: 'police_station', name: 'Ranaghat PS' });
    const callers: FuzzCaller[] = [
      { name: 'anonymous', passes: (access) => access === 'public' },
      { name: 'junk credentials', passes: (access) => access === 'public', credentials: junkCredentials },
    ];
    const roles: Array<[Role, Parameters<TestNode['unit']>[0]['type']]> = [
      ['police_officer', 'police_station'],
      ['ahtu_officer', 'ahtu'],
      ['scpu_officer', 'scpu'],
      ['cwc_member', 'cwc'],
      ['node_admin', 'police_station'],
    ];
    for (const [role, unitType] of roles) {
      const unit = unitType === 'police_station' ? station : await node.unit({ type: unitType });
      const { token } = await node.user(role, unit.id);
      const permissions = new Set<string>(permissionsOf(role));
      callers.push({
        name: role,
        passes: (access) => access === 'public' || access === 'signed-in' || permissions.has(access),
        credentials: fc.constant({ authorization: `Bearer ${token}` }),
      });
    }
    // A browser's session: the cookie and its CSRF token, as a police officer.
    const { username } = await node.user('police_officer', station.id);
    const signIn = await node.request(undefined, 'POST', '/v1/auth/sign-in', {
      username,
      password: TEST_PASSWORD,
    });
    const session = signIn.headers.get('set-cookie')?.match(/khoj_session=([^;]+)/)?.[1];
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const officer = new Set<string>(permissionsOf('police_officer'));
    callers.push({
      name: 'police_officer session',
      passes: (access) => access === 'public' || access === 'signed-in' || officer.has(access),
      credentials: fc.constant({ cookie: `khoj_session=${session}`, 'x-csrf-token': csrfToken }),
    });

    const created = await node.request(
      (await node.user('police_officer', station.id)).token,
      'POST',
      '/v1/reports',
      missingChild,
    );
    expect(created.status).toBe(201);
    const { report } = (await created.json()) as { report: { caseId: string } };

    let clients = 0;
    target = {
      name: 'node API',
      routes: fuzzRoutes(nodeRoutes, nodeOpenApiDocument(), (route) => route[PERMISSION_KEY]),
      context: {
        callers,
        knownIds: [report.caseId, station.id],
        maxBodyBytes: MAX_BODY_BYTES,
        // A well-formed sign-in names an account the fuzz made up: refused, only counted.
        refusedWhenWellFormed: new Set(['POST /v1/auth/sign-in']),
      },
      send(request) {
        // Most requests from an address of their own, so the per-client limits of the public
        // routes and of sign-in do not stand in front of everything they guard; some from one.
        clients++;
        const remoteAddress =
          clients % 5 === 0
            ? '192.0.2.1'
            : `10.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
        return node.app.request(toRequest(request), undefined, { incoming: { socket: { remoteAddress } } });
      },
      snapshot: (route) =>
        snapshotDatabase(node.services.db, route.mutating ? CHANGED_BY_REFUSALS : CHANGED_BY_READS),
    };
  }, 120_000);

  afterAll(async () => {
    await node?.cleanup();
  });

  it('fuzzes exactly the operations of the committed OpenAPI document', async () => {
    const committed = JSON.parse(
      await readFile(new URL('../../../contracts/openapi/node.json', import.meta.url), 'utf8'),
    ) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(committed.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(target.routes.map((route) => route.key).sort()).toEqual(operations.sort());
  });

  it(`answers ${settings.runs} malformed requests with no 5xx, no leak and no change to stored data`, async () => {
    console.log(
      `node API fuzz: seed ${settings.seed}, ${settings.runs} requests (KHOJ_FUZZ_SEED, KHOJ_FUZZ_RUNS)`,
    );
    const report = await fuzzApi(target, settings);
    console.log(formatReport('node API', report));
    expect(report.requests).toBeGreaterThanOrEqual(settings.runs);
    expect(Math.min(...Object.values(report.perRoute))).toBeGreaterThanOrEqual(
      Math.floor(settings.runs / target.routes.length),
    );
    expect(report.findings).toEqual([]);
  }, 600_000);

  // After the malformed requests, since these change data: what the contract accepts, at its
  // edges, must not fail in the store either (a date in year 0000 was a 500 at four routes).
  const wellFormedRuns = Math.ceil(settings.runs / 5);
  it(`answers ${wellFormedRuns} well-formed requests with edge values with no 5xx and no leak`, async () => {
    const report = await fuzzApi(
      { ...target, context: { ...target.context, wellFormed: true } },
      { seed: settings.seed + 2_000, runs: wellFormedRuns },
    );
    console.log(formatReport('node API, well-formed', report));
    expect(report.requests).toBeGreaterThanOrEqual(wellFormedRuns);
    expect(report.findings).toEqual([]);
  }, 600_000);
});
