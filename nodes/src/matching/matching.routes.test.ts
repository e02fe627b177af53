// Matching end to end on PGlite and PostgreSQL: reports registered through the API are matched by
// the running matcher (in-process loop; BullMQ on PostgreSQL), candidates are listed with their
// explanation within jurisdiction, a rejected pair is not proposed again after an immaterial
// change but is after a material one, and a confirmation moves both reports to `matched` with
// versions and audit entries. Errors answer with stable codes.
import type { ReportInput } from '@khoj/contracts';
import { and, eq, inArray, or } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditLog, cases, matchCandidates, matchProfiles } from '../db/schema/index.ts';
import { body, caseIdOf, intakeApp, missingReport, nodeOn } from '../intake/test-fixtures.ts';
import type { TestNode } from '../testing/test-node.ts';
import { type MatchDispatcher, startBullmqMatching, startInProcessMatching } from './dispatch.ts';
import { createMatcher } from './matcher.ts';
import { dueCases } from './matching.store.ts';
import { matchThresholds } from './thresholds.ts';

const missingChild: ReportInput = {
  kind: 'missing',
  child: {
    name: 'Montu Debnath',
    sex: 'male',
    age: { years: 9 },
    languages: ['bn'],
    identifyingMarks: ['mole on left cheek'],
  },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-03-02',
  missing: { guardians: [{ name: 'Sabita Debnath', relation: 'mother', phones: [] }] },
};
/** The same boy as a Kolkata station registers him a month later: another spelling, a pet name. */
const foundChild: ReportInput = {
  kind: 'found',
  child: {
    name: 'Montu Devnath',
    aliases: ['Bappa'],
    sex: 'male',
    age: { estimateMin: 8, estimateMax: 11 },
    languages: ['bn', 'hi'],
    identifyingMarks: ['left cheek mole'],
  },
  place: { country: 'IN', state: 'WB', district: 'Kolkata', description: 'Sealdah station' },
  eventDate: '2026-04-05',
  found: { foundBy: 'railway_police', rescuedFromTrafficking: false },
};
/** Somebody else entirely. */
const otherChild: ReportInput = {
  ...foundChild,
  child: {
    name: 'Fatema Khatun',
    sex: 'female',
    age: { estimateMin: 14, estimateMax: 16 },
    languages: ['ur'],
  },
  place: { country: 'IN', state: 'WB', district: 'Malda' },
};

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe.each(['pglite', 'postgres'] as const)('matching on %s', (database) => {
  let node: TestNode;
  let cleanup: () => Promise<void>;
  let dispatcher: MatchDispatcher;
  let nadiaPolice: string;
  let kolkataPolice: string;
  let maldaPolice: string;
  let nadiaDcpu: string;
  let kolkataCci: string;
  let viewer: string;

  beforeAll(async () => {
    ({ node, cleanup } = await nodeOn(database));
    const unit = async (
      type: 'police_station' | 'dcpu' | 'cci' | 'district_administration',
      district: string,
    ) => (await node.unit({ type, district })).id;
    nadiaPolice = (await node.user('police_officer', await unit('police_station', 'Nadia'))).token;
    kolkataPolice = (await node.user('police_officer', await unit('police_station', 'Kolkata'))).token;
    maldaPolice = (await node.user('police_officer', await unit('police_station', 'Malda'))).token;
    nadiaDcpu = (await node.user('dcpu_officer', await unit('dcpu', 'Nadia'))).token;
    kolkataCci = (await node.user('cci_staff', await unit('cci', 'Kolkata'))).token;
    viewer = (await node.user('dm_sp_viewer', await unit('district_administration', 'Nadia'))).token;
    const matcher = createMatcher({
      db: node.services.db,
      thresholds: matchThresholds(node.services.config),
    });
    // On PostgreSQL the production path: BullMQ jobs and sweeps, on the test Redis.
    dispatcher =
      database === 'postgres'
        ? startBullmqMatching(node.services, matcher, inject('redisUrl'))
        : startInProcessMatching(node.services, matcher);
    node.services.matching = dispatcher;
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await cleanup?.();
  });

  const register = async (report: ReportInput, token: string): Promise<string> => {
    const response = await node.request(token, 'POST', '/v1/reports', report);
    expect(response.status).toBe(201);
    return (await body(response)).report.caseId;
  };
  const candidates = async (token: string, caseId: string, query = '') => {
    const response = await node.request(token, 'GET', `/v1/reports/${caseId}/candidates${query}`);
    return { status: response.status, ...(await body(response)) };
  };
  /** Every report's current version has been through the matcher. */
  const settled = () => until('the matcher', async () => (await dueCases(node.services.db, 1)).length === 0);
  const pairRow = async (missingId: string, foundId: string) => {
    const [row] = await node.services.db
      .select()
      .from(matchCandidates)
      .where(and(eq(matchCandidates.missingCaseId, missingId), eq(matchCandidates.foundCaseId, foundId)));
    return row;
  };
  const change = async (token: string, caseId: string, patch: Record<string, unknown>) => {
    const current = await body(node.request(token, 'GET', `/v1/reports/${caseId}`));
    const response = await node.request(token, 'PATCH', `/v1/reports/${caseId}`, patch, {
      'if-match': `"${current.version}"`,
    });
    expect(response.status).toBe(200);
  };

  it('proposes the found child for the missing report, explained, from both sides', async () => {
    const missingId = await register(missingChild, nadiaPolice);
    const unrelated = await register(otherChild, maldaPolice);
    const foundId = await register(foundChild, kolkataPolice);
    await until('a candidate', async () => (await pairRow(missingId, foundId)) !== undefined);
    await settled();

    const fromFound = await candidates(kolkataPolice, foundId);
    expect(fromFound.status).toBe(200);
    expect(fromFound.thresholds).toEqual({ review: 0.5, alert: 0.9 });
    const [candidate] = fromFound.candidates;
    expect(candidate).toMatchObject({
      missingCaseId: missingId,
      foundCaseId: foundId,
      counterpart: { caseId: missingId, kind: 'missing', status: 'open' },
      status: 'proposed',
      reason: null,
    });
    expect(candidate.probability).toBeGreaterThanOrEqual(0.5);
    expect(candidate.alert).toBe(candidate.probability >= 0.9);
    expect(candidate.explanation[0]).toMatchObject({ field: 'prior', level: 'prior' });
    const fields = candidate.explanation.map((step: { field: string }) => step.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'sex', 'age', 'time', 'place', 'marks']));
    const name = candidate.explanation.find((step: { field: string }) => step.field === 'name');
    expect(name.weight).toBeGreaterThan(0);
    expect(name.text).toContain('name');
    // The explanation adds up to the weight (each step rounded to 0.1).
    const total = candidate.explanation.reduce(
      (sum: number, step: { weight: number }) => sum + step.weight,
      0,
    );
    expect(Math.abs(total - candidate.weight)).toBeLessThan(0.1 * candidate.explanation.length);

    const fromMissing = await candidates(nadiaPolice, missingId);
    expect(fromMissing.candidates.map((entry: { candidateId: string }) => entry.candidateId)).toEqual([
      candidate.candidateId,
    ]);
    expect(await pairRow(missingId, unrelated)).toBeUndefined();
    const audit = await node.services.db.select().from(auditLog).where(eq(auditLog.action, 'match.read'));
    expect(audit.map((entry) => entry.recordId)).toEqual(expect.arrayContaining([foundId, missingId]));
  });

  it('does not propose a rejected pair again after an immaterial change, but does after a material one', async () => {
    const missingId = await register(
      { ...missingChild, child: { ...missingChild.child, name: 'Rupa Mondal', sex: 'female' } },
      nadiaPolice,
    );
    const foundId = await register(
      { ...foundChild, child: { ...foundChild.child, name: 'Rupa Mondol', aliases: [], sex: 'female' } },
      kolkataPolice,
    );
    await until('a candidate', async () => (await pairRow(missingId, foundId)) !== undefined);
    const proposed = await pairRow(missingId, foundId);
    const rejected = await node.request(kolkataPolice, 'POST', `/v1/candidates/${proposed?.id}/reject`, {
      reason: 'the mother saw the photo: not her daughter',
    });
    expect(rejected.status).toBe(200);
    expect((await body(rejected)).candidate).toMatchObject({
      status: 'rejected',
      reason: expect.any(String),
    });

    // Circumstances and a public notice are not what decides whether they are the same child.
    await change(nadiaPolice, missingId, {
      missing: { ...missingChild.missing, circumstances: 'Left for school and did not return' },
      publicNotice: true,
    });
    await settled();
    expect(await pairRow(missingId, foundId)).toMatchObject({ id: proposed?.id, status: 'rejected' });
    expect(
      (await candidates(kolkataPolice, foundId, '?status=rejected')).candidates.map(
        (entry: { candidateId: string }) => entry.candidateId,
      ),
    ).toEqual([proposed?.id]);
    expect((await candidates(kolkataPolice, foundId, '?status=proposed')).candidates).toEqual([]);

    // A new alias is: the pair is proposed again.
    await change(nadiaPolice, missingId, {
      child: { ...missingChild.child, name: 'Rupa Mondal', sex: 'female', aliases: ['Rupai'] },
    });
    await until(
      'the pair proposed again',
      async () => (await pairRow(missingId, foundId))?.status === 'proposed',
    );
    expect(await pairRow(missingId, foundId)).toMatchObject({
      id: proposed?.id,
      reason: null,
      decidedBy: null,
    });
  });

  it('confirming moves both reports to matched, with versions and audit entries, and ends their other proposals', async () => {
    const missingId = await register(
      { ...missingChild, child: { ...missingChild.child, name: 'Sagar Hansda' } },
      nadiaPolice,
    );
    const foundId = await register(
      { ...foundChild, child: { ...foundChild.child, name: 'Sagor Hansda', aliases: [] } },
      kolkataPolice,
    );
    await until('a candidate', async () => (await pairRow(missingId, foundId)) !== undefined);
    const candidateId = (await pairRow(missingId, foundId))?.id;

    const confirmed = await node.request(nadiaPolice, 'POST', `/v1/candidates/${candidateId}/confirm`, {
      note: 'father identified him at Sealdah',
    });
    expect(confirmed.status).toBe(200);
    const decision = await body(confirmed);
    expect(decision.candidate).toMatchObject({
      status: 'confirmed',
      reason: 'father identified him at Sealdah',
    });
    expect(decision.reports).toEqual(
      expect.arrayContaining([
        { caseId: missingId, status: 'matched', version: 2 },
        { caseId: foundId, status: 'matched', version: 2 },
      ]),
    );
    for (const caseId of [missingId, foundId]) {
      const report = await body(node.request(nadiaPolice, 'GET', `/v1/reports/${caseId}`));
      expect(report.status).toBe('matched');
      const versions = await body(node.request(nadiaPolice, 'GET', `/v1/reports/${caseId}/versions`));
      expect(versions.versions.at(-1)).toMatchObject({ version: 2, change: 'transition' });
    }
    const actions = (
      await node.services.db
        .select()
        .from(auditLog)
        .where(inArray(auditLog.recordId, [missingId, foundId, candidateId as string]))
    ).map((entry) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'case.transition.open.matched',
        'case.transition.open.matched',
        'match.confirm',
      ]),
    );

    // Matched reports leave the pool: no profile, no open proposals.
    await settled();
    const profiles = await node.services.db
      .select()
      .from(matchProfiles)
      .where(inArray(matchProfiles.caseId, [missingId, foundId]));
    expect(profiles).toEqual([]);
    const open = await node.services.db
      .select()
      .from(matchCandidates)
      .where(
        and(
          eq(matchCandidates.status, 'proposed'),
          or(eq(matchCandidates.missingCaseId, missingId), eq(matchCandidates.foundCaseId, foundId)),
        ),
      );
    expect(open).toEqual([]);

    const again = await node.request(nadiaPolice, 'POST', `/v1/candidates/${candidateId}/confirm`, {});
    expect(again.status).toBe(409);
    expect((await body(again)).error.code).toBe('CANDIDATE_DECIDED');
    const reject = await node.request(nadiaPolice, 'POST', `/v1/candidates/${candidateId}/reject`, {
      reason: 'changed my mind',
    });
    expect((await body(reject)).error.code).toBe('CANDIDATE_DECIDED');
  });

  it('answers errors with stable codes and changes nothing', async () => {
    const missingId = await register(
      { ...missingChild, child: { ...missingChild.child, name: 'Tumpa Sarkar', sex: 'female' } },
      nadiaPolice,
    );
    const foundId = await register(
      { ...foundChild, child: { ...foundChild.child, name: 'Tumpa Sarkar', aliases: [], sex: 'female' } },
      kolkataPolice,
    );
    await until('a candidate', async () => (await pairRow(missingId, foundId)) !== undefined);
    const candidateId = (await pairRow(missingId, foundId))?.id as string;
    const post = (token: string, path: string, payload: unknown) =>
      node.request(token, 'POST', path, payload);

    const unknown = await post(nadiaPolice, '/v1/candidates/match_0123456789abcdefghijklmnop/confirm', {});
    expect(unknown.status).toBe(404);
    expect((await body(unknown)).error.code).toBe('CANDIDATE_NOT_FOUND');
    const malformed = await post(nadiaPolice, '/v1/candidates/case_0123456789abcdefghijklmnop/confirm', {});
    expect((await body(malformed)).error.code).toBe('VALIDATION_FAILED');
    for (const payload of [{}, { reason: '   ' }]) {
      const noReason = await post(nadiaPolice, `/v1/candidates/${candidateId}/reject`, payload);
      expect(noReason.status).toBe(400);
      expect((await body(noReason)).error.code).toBe('VALIDATION_FAILED');
    }
    // A police officer of a third station reads both reports but owns neither.
    const outsider = await post(maldaPolice, `/v1/candidates/${candidateId}/confirm`, {});
    expect(outsider.status).toBe(403);
    expect((await body(outsider)).error.code).toBe('FORBIDDEN');
    // A CCI reads neither report: the candidate does not exist for it.
    const cci = await post(kolkataCci, `/v1/candidates/${candidateId}/reject`, { reason: 'no' });
    expect((await body(cci)).error.code).toBe('CANDIDATE_NOT_FOUND');
    expect((await candidates(kolkataCci, foundId)).error.code).toBe('CASE_NOT_FOUND');
    expect((await candidates(nadiaPolice, 'case_0123456789abcdefghijklmnop')).error.code).toBe(
      'CASE_NOT_FOUND',
    );
    expect(await pairRow(missingId, foundId)).toMatchObject({ status: 'proposed', decidedBy: null });

    // A rejected pair may still be confirmed later, unless a report can no longer become matched
    // (here: closed), and then nothing changes.
    expect((await post(kolkataPolice, `/v1/candidates/${candidateId}/reject`, { reason: 'no' })).status).toBe(
      200,
    );
    const closed = await node.request(
      kolkataPolice,
      'POST',
      `/v1/reports/${foundId}/transitions`,
      { to: 'closed', reason: 'duplicate registration' },
      { 'if-match': '"1"' },
    );
    expect(closed.status).toBe(200);
    const refused = await post(nadiaPolice, `/v1/candidates/${candidateId}/confirm`, {});
    expect(refused.status).toBe(409);
    expect((await body(refused)).error.code).toBe('TRANSITION_NOT_ALLOWED');
    const [missingRow] = await node.services.db.select().from(cases).where(eq(cases.id, missingId));
    expect(missingRow).toMatchObject({ status: 'open', version: 1 });
  });

  it('lists only candidates whose other report the reader may read', async () => {
    const missingId = await register(
      { ...missingChild, child: { ...missingChild.child, name: 'Jhuma Pramanik', sex: 'female' } },
      nadiaPolice,
    );
    const foundId = await register(
      { ...foundChild, child: { ...foundChild.child, name: 'Jhuma Paramanik', aliases: [], sex: 'female' } },
      kolkataPolice,
    );
    await until('a candidate', async () => (await pairRow(missingId, foundId)) !== undefined);
    // Police read node-wide; the Nadia DCPU and district viewer read Nadia only (the found child
    // is in Kolkata), so the candidate is not shown to them.
    expect((await candidates(nadiaPolice, missingId)).candidates).toHaveLength(1);
    for (const token of [nadiaDcpu, viewer]) {
      const list = await candidates(token, missingId);
      expect(list.status).toBe(200);
      expect(list.candidates).toEqual([]);
      expect((await candidates(token, foundId)).error.code).toBe('CASE_NOT_FOUND');
    }
  });

  it('sets aside a report it cannot read, and matches the others', async () => {
    const [{ ownerUnitId, ...broken } = {} as never] = await node.services.db
      .select()
      .from(cases)
      .where(eq(cases.kind, 'missing'))
      .limit(1);
    const brokenId = 'case_0000000000broken0000000001';
    // A row no report route could write (no age): as if damaged by hand or by an old bug.
    await node.services.db.insert(cases).values({
      ...broken,
      id: brokenId,
      ownerUnitId,
      externalRef: null,
      matchedVersion: null,
      child: { sex: 'male' } as never,
    });
    const missingId = await register(
      { ...missingChild, child: { ...missingChild.child, name: 'Nantu Mahato' } },
      nadiaPolice,
    );
    const foundId = await register(
      { ...foundChild, child: { ...foundChild.child, name: 'Nantu Mahato', aliases: [] } },
      kolkataPolice,
    );
    await until('a candidate', async () => (await pairRow(missingId, foundId)) !== undefined);
    await settled();
    const [row] = await node.services.db.select().from(cases).where(eq(cases.id, brokenId));
    expect(row?.matchedVersion).toBe(row?.version);
  });

  it("leaves citizens' unverified reports out until an officer verifies them", async () => {
    const call = intakeApp(node, {
      limits: {
        submissions: { limit: 100, windowSeconds: 60 },
        searches: { limit: 100, windowSeconds: 60 },
        photos: { limit: 100, windowSeconds: 60 },
      },
    });
    const submitted = await call('POST', '/v1/public/reports/missing', {
      ...missingReport,
      child: { ...missingReport.child, name: 'Bablu Biswas', aliases: [] },
      lastSeenOn: '2026-03-01',
    });
    expect(submitted.status).toBe(202);
    const pendingId = await caseIdOf(node, (await body(submitted)).reference);
    const foundId = await register(
      { ...foundChild, child: { ...foundChild.child, name: 'Bablu Biswas', aliases: [] } },
      kolkataPolice,
    );
    await settled();
    expect(await pairRow(pendingId, foundId)).toBeUndefined();
    const profile = await node.services.db
      .select()
      .from(matchProfiles)
      .where(eq(matchProfiles.caseId, pendingId));
    expect(profile).toEqual([]);

    const accepted = await node.request(
      nadiaPolice,
      'POST',
      `/v1/intake/${pendingId}/accept`,
      {},
      {
        'if-match': '"1"',
      },
    );
    expect(accepted.status).toBe(200);
    await until('a candidate', async () => (await pairRow(pendingId, foundId)) !== undefined);
  });
});
