// GET /v1/statistics on PGlite and PostgreSQL, over the pinned dataset of test-dataset.ts with
// its figures worked out by hand: counts, months, outcome rates and median days, children in
// care, the period bounds, and each role's reach (a DM of Nadia never counts Kolkata).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { caseVersions } from '../db/schema/index.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { seedDataset } from './test-dataset.ts';

const zero = { open: 0, under_review: 0, matched: 0, reunited: 0, transferred: 0, closed: 0 };

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const body = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe.each(['pglite', 'postgres'] as const)('statistics on %s', (database) => {
  let node: TestNode;
  let databaseUrl: string | undefined;
  const tokens = {} as Record<'dmNadia' | 'dcpuKolkata' | 'scpu' | 'admin' | 'police' | 'cci', string>;
  const cci = {} as Record<'A' | 'B', string>;

  beforeAll(async () => {
    databaseUrl =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`)
        : undefined;
    node = await createTestNode('IN-WB', databaseUrl);
    const nadia = { country: 'IN', state: 'WB', district: 'Nadia' };
    const kolkata = { ...nadia, district: 'Kolkata' };
    const stations = {
      Nadia: (await node.unit({ type: 'police_station', ...nadia })).id,
      Kolkata: (await node.unit({ type: 'police_station', ...kolkata })).id,
      Patna: (await node.unit({ type: 'police_station', country: 'IN', state: 'BR', district: 'Patna' })).id,
    };
    cci.A = (await node.unit({ type: 'cci', name: 'Nadia Children Home', ...nadia })).id;
    cci.B = (await node.unit({ type: 'cci', name: 'Kolkata Children Home', ...kolkata })).id;
    const user = async (role: Parameters<TestNode['user']>[0], unit: Parameters<TestNode['unit']>[0]) =>
      (await node.user(role, (await node.unit(unit)).id)).token;
    tokens.dmNadia = await user('dm_sp_viewer', { type: 'district_administration', ...nadia });
    tokens.dcpuKolkata = await user('dcpu_officer', { type: 'dcpu', ...kolkata });
    tokens.scpu = await user('scpu_officer', {
      type: 'scpu',
      country: 'IN',
      state: 'WB',
      district: undefined,
    });
    tokens.admin = await user('node_admin', { type: 'district_administration', ...kolkata });
    tokens.police = (await node.user('police_officer', stations.Nadia)).token;
    tokens.cci = (await node.user('cci_staff', cci.A)).token;

    await seedDataset(node, stations, cci);
  });
  afterAll(async () => {
    await node?.cleanup();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
  });

  const stats = (token: string, query = '') => node.request(token, 'GET', `/v1/statistics${query}`);

  it("keeps each version's status beside its snapshot, where the outcome figures read it", async () => {
    const versions = await node.services.db.select().from(caseVersions);
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.some((version) => version.status === 'reunited')).toBe(true);
    for (const version of versions) expect(version.status).toBe(version.snapshot.status);
  });

  it("gives a DM the district's figures for a period, worked out by hand", async () => {
    const response = await stats(tokens.dmNadia, '?from=2026-01-01&to=2026-03-31');
    expect(response.status).toBe(200);
    const figures = await body(response);
    expect(figures.scope).toEqual({ level: 'district', country: 'IN', state: 'WB', district: 'Nadia' });
    expect(figures.period).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(figures.total).toBe(7);
    expect(figures.byKind).toEqual({
      missing: { ...zero, open: 2, matched: 1, reunited: 2 },
      found: { ...zero, open: 1, reunited: 1 },
    });
    expect(figures.byDistrict).toEqual([{ state: 'WB', district: 'Nadia', missing: 5, found: 2, total: 7 }]);
    expect(figures.byMonth).toEqual([
      { month: '2026-01', missing: 2, found: 0, total: 2 },
      { month: '2026-02', missing: 2, found: 1, total: 3 },
      { month: '2026-03', missing: 1, found: 1, total: 2 },
    ]);
    // Missing: N1 (10 d, reunited 20 d), N2 (4.5 d), N7 (20 d, reunited 30 d) matched; N3's match
    // fell through; N4 open. Medians: of 4.5, 10, 20 → 10; of 20, 30 → 25.
    expect(figures.outcomes.missing).toEqual({
      reports: 5,
      matched: 3,
      reunited: 2,
      matchedRate: 0.6,
      reunitedRate: 0.4,
      medianDaysToMatch: 10,
      medianDaysToReunion: 25,
    });
    expect(figures.outcomes.found).toEqual({
      reports: 2,
      matched: 1,
      reunited: 1,
      matchedRate: 0.5,
      reunitedRate: 0.5,
      medianDaysToMatch: 6,
      medianDaysToReunion: 16,
    });
    expect(figures.inCare).toEqual({
      total: 2,
      byStatus: { ...zero, open: 1, reunited: 1 },
      byUnit: [
        { unitId: cci.A, name: 'Nadia Children Home', total: 2, byStatus: { ...zero, open: 1, reunited: 1 } },
      ],
    });
  });

  it('counts every report without a period, and bounds a period by whole UTC days', async () => {
    const all = await body(stats(tokens.dmNadia));
    expect(all.period).toEqual({ from: null, to: null });
    expect(all.total).toBe(8); // N8, from December 2025, too
    expect(all.byMonth[0]).toEqual({ month: '2025-12', missing: 1, found: 0, total: 1 });
    // Matched at 4.5, 5, 10 and 20 days: the median lies halfway between 5 and 10.
    expect(all.outcomes.missing).toMatchObject({ reports: 6, matched: 4, matchedRate: 0.6667 });
    expect(all.outcomes.missing.medianDaysToMatch).toBe(7.5);
    // N4 was registered at 23:30 UTC on 28 February: inside `to=2026-02-28`, outside the 27th.
    expect((await body(stats(tokens.dmNadia, '?from=2026-01-01&to=2026-02-28'))).total).toBe(5);
    expect((await body(stats(tokens.dmNadia, '?from=2026-01-01&to=2026-02-27'))).total).toBe(4);
    // The widest period a date can name: every report (9999-12-31 once ended the day in year 10000).
    expect((await body(stats(tokens.dmNadia, '?from=0001-01-01&to=9999-12-31'))).total).toBe(8);
    // Year 0000 is no day PostgreSQL knows: refused, not read as "no bound" (which counted everything).
    expect((await stats(tokens.dmNadia, '?to=0000-06-01')).status).toBe(400);
    const empty = await body(stats(tokens.dmNadia, '?from=2030-01-01'));
    expect(empty).toMatchObject({ total: 0, byDistrict: [], byMonth: [], inCare: { total: 0, byUnit: [] } });
    expect(empty.outcomes.missing).toMatchObject({ reports: 0, matchedRate: null, medianDaysToMatch: null });
  });

  it('keeps each role to its reach: district, state, node', async () => {
    const kolkata = await body(stats(tokens.dcpuKolkata));
    expect(kolkata.total).toBe(3);
    expect(kolkata.byDistrict).toEqual([
      { state: 'WB', district: 'Kolkata', missing: 1, found: 2, total: 3 },
    ]);
    // K3 was found in Kolkata and lives in the Nadia home: Kolkata counts it, Nadia does not.
    expect(kolkata.inCare.byUnit.map((u: { name: string; total: number }) => [u.name, u.total])).toEqual([
      ['Kolkata Children Home', 1],
      ['Nadia Children Home', 1],
    ]);

    const state = await body(stats(tokens.scpu));
    expect(state.scope).toEqual({ level: 'state', country: 'IN', state: 'WB', district: null });
    expect(state.total).toBe(11); // not Patna, in Bihar
    expect(state.byDistrict.map((d: { district: string; total: number }) => [d.district, d.total])).toEqual([
      ['Kolkata', 3],
      ['Nadia', 8],
    ]);
    // Missing matched at 3, 4.5, 5, 10, 20 days; reunited at 4, 20, 30.
    expect(state.outcomes.missing).toMatchObject({
      reports: 7,
      matched: 5,
      reunited: 3,
      medianDaysToMatch: 5,
      medianDaysToReunion: 20,
    });
    expect(state.inCare.total).toBe(4);
    expect(state.inCare.byUnit.map((u: { name: string; total: number }) => [u.name, u.total])).toEqual([
      ['Nadia Children Home', 3],
      ['Kolkata Children Home', 1],
    ]);
    const narrowed = await body(stats(tokens.scpu, '?district=Kolkata'));
    expect(narrowed).toMatchObject({ total: 3, scope: { level: 'district', district: 'Kolkata' } });

    const node_ = await body(stats(tokens.admin));
    expect(node_.total).toBe(12);
    expect(node_.byDistrict[0]).toEqual({ state: 'BR', district: 'Patna', missing: 1, found: 0, total: 1 });
    expect((await body(stats(tokens.admin, '?district=Patna'))).total).toBe(1);
  });

  it('refuses a district outside the reach, roles without stats.read, and bad periods', async () => {
    const other = await stats(tokens.dmNadia, '?district=Kolkata');
    expect(other.status).toBe(403);
    expect((await body(other)).error).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('Nadia'),
    });
    expect((await body(stats(tokens.dmNadia, '?district=Nadia'))).total).toBe(8);
    for (const token of [tokens.police, tokens.cci]) {
      const refused = await stats(token);
      expect(refused.status).toBe(403);
      expect((await body(refused)).error.message).toBe('your role may not stats.read');
    }
    for (const query of [
      '?from=2026-03-01&to=2026-01-01',
      '?from=yesterday',
      '?to=2026-02-30',
      '?district=',
    ]) {
      const bad = await stats(tokens.dmNadia, query);
      expect(bad.status, query).toBe(400);
      expect((await body(bad)).error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('says nothing about any one child', async () => {
    const text = JSON.stringify(await body(stats(tokens.admin)));
    expect(text).not.toMatch(/Seeded Child|case_/);
  });
});
