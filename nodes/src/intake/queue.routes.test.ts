// The verification queue on PGlite and PostgreSQL: a citizen report waits in its station's queue
// only, and is accepted (verified, published only if an officer gave it a consent) or rejected
// (closed) with If-Match, audited; other units and roles are refused.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, cases, caseVersions, intakeSubmissions, outbox } from '../db/schema/index.ts';
import { png } from '../photos/test-images.ts';
import type { TestNode } from '../testing/test-node.ts';
import { body, caseIdOf, intakeApp, missingReport, nodeOn, sighting } from './test-fixtures.ts';

describe.each(['pglite', 'postgres'] as const)('the verification queue on %s', (database) => {
  let node: TestNode;
  let cleanup: () => Promise<void>;
  let policeA: string;
  let policeB: string;
  let cci: string;
  let call: ReturnType<typeof intakeApp>;

  beforeAll(async () => {
    ({ node, cleanup } = await nodeOn(database));
    await node.addMembers('IN-BR', 'BD');
    policeA = (await node.user('police_officer', (await node.unit({ type: 'police_station' })).id)).token;
    const kolkata = await node.unit({ type: 'police_station', district: 'Kolkata' });
    policeB = (await node.user('police_officer', kolkata.id)).token;
    cci = (await node.user('cci_staff', (await node.unit({ type: 'cci' })).id)).token;
    const plenty = { limit: 1000, windowSeconds: 60 };
    call = intakeApp(node, { limits: { submissions: plenty, searches: plenty, photos: plenty } });
  });
  afterAll(async () => cleanup?.());

  async function submit(path = '/v1/public/reports/missing', report: unknown = missingReport) {
    const response = await call('POST', path, report);
    expect(response.status).toBe(202);
    const { reference } = await body(response);
    return { reference, caseId: await caseIdOf(node, reference) };
  }
  const queue = async (token: string) =>
    (await body(node.request(token, 'GET', '/v1/intake/queue?limit=200'))).items;
  const decide = (token: string, caseId: string, verb: 'accept' | 'reject', payload?: unknown, version = 1) =>
    node.request(token, 'POST', `/v1/intake/${caseId}/${verb}`, payload, { 'if-match': `"${version}"` });
  const auditOf = async (caseId: string) =>
    (await node.services.db.select().from(auditLog).where(eq(auditLog.recordId, caseId))).map(
      (row) => row.action,
    );
  const outboxOf = (caseId: string) =>
    node.services.db.select().from(outbox).where(eq(outbox.subject, caseId));

  it("shows a report in its own station's queue only, with the reporter and the photo's details", async () => {
    const image = png([1, 2, 3]);
    const { reference, caseId } = await submit('/v1/public/sightings', {
      ...sighting,
      place: { ...sighting.place, location: { lat: 23.17, lon: 88.56 } },
      photo: { data: image.toString('base64'), fileName: 'a.jpg' },
    });
    const item = (await queue(policeA)).find((entry: { caseId: string }) => entry.caseId === caseId);
    expect(item).toMatchObject({
      reference,
      source: 'sighting',
      reporter: { name: 'Tapas Ghosh', phone: '+91 98300 00000', relation: null },
      location: { lat: 23.17, lon: 88.56 },
      photo: { mime: 'image/png', sizeBytes: image.length },
      report: { caseId, kind: 'found', verification: 'pending', version: 1 },
    });
    expect((await queue(policeB)).map((entry: { caseId: string }) => entry.caseId)).not.toContain(caseId);
    expect((await node.request(cci, 'GET', '/v1/intake/queue')).status).toBe(403);
    expect((await node.request(undefined, 'GET', '/v1/intake/queue')).status).toBe(401);

    const photo = await node.request(policeA, 'GET', `/v1/intake/${caseId}/photo`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(photo.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await photo.arrayBuffer()).equals(image)).toBe(true);
    expect((await node.request(policeB, 'GET', `/v1/intake/${caseId}/photo`)).status).toBe(403);
    expect(await auditOf(caseId)).toEqual(['intake.submit.sighting', 'intake.photo.read']);
    const noPhoto = (await submit()).caseId;
    expect((await body(node.request(policeA, 'GET', `/v1/intake/${noPhoto}/photo`))).error.code).toBe(
      'NOT_FOUND',
    );
  });

  it('accepts with If-Match: verified, versioned, audited, out of the queue, and not published without consent', async () => {
    const { caseId } = await submit();
    expect((await node.request(policeA, 'POST', `/v1/intake/${caseId}/accept`)).status).toBe(428);
    expect((await decide(policeA, caseId, 'accept', undefined, 7)).status).toBe(412);
    const wrongUnit = await decide(policeB, caseId, 'accept');
    expect(wrongUnit.status).toBe(403);
    expect((await body(wrongUnit)).error.code).toBe('FORBIDDEN');
    expect((await decide(cci, caseId, 'accept')).status).toBe(403);

    const accepted = await decide(policeA, caseId, 'accept', { note: 'mother visited the station' });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('etag')).toBe('"2"');
    expect(await body(accepted)).toMatchObject({
      report: { caseId, verification: 'verified', status: 'open', version: 2 },
      publication: null,
    });
    expect(await auditOf(caseId)).toEqual(['intake.submit.missing_report', 'intake.accept']);
    const versions = await node.services.db
      .select()
      .from(caseVersions)
      .where(eq(caseVersions.caseId, caseId));
    expect(versions.map((v) => [v.version, v.changedBy === 'citizen'])).toEqual([
      [1, true],
      [2, false],
    ]);
    const [submission] = await node.services.db
      .select()
      .from(intakeSubmissions)
      .where(eq(intakeSubmissions.caseId, caseId));
    expect(submission).toMatchObject({ decision: 'accepted', decisionReason: 'mother visited the station' });
    expect((await queue(policeA)).map((entry: { caseId: string }) => entry.caseId)).not.toContain(caseId);
    expect(await outboxOf(caseId)).toEqual([]);
    const again = await decide(policeA, caseId, 'accept', undefined, 2);
    expect(again.status).toBe(409);
    expect((await body(again)).error.code).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('never publishes a pending report, even with a consent; publishes it once accepted', async () => {
    const { caseId } = await submit();
    const consent = {
      purposes: ['reunification'],
      recipients: ['IN-*'],
      fields: 'standard',
      legalBasis: 'guardian_consent',
      // Within the sharing policy's lifetime for the kind (nodes/drizzle/0009).
      expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString(),
      grantedBy: 'SI, Ranaghat PS',
    };
    const patched = await node.request(
      policeA,
      'PATCH',
      `/v1/reports/${caseId}`,
      { consent },
      { 'if-match': '"1"' },
    );
    expect(patched.status).toBe(200);
    expect((await body(patched)).publication).toBeNull();
    expect(await outboxOf(caseId)).toEqual([]);
    const accepted = await body(decide(policeA, caseId, 'accept', undefined, 2));
    expect(accepted.publication.recipients).toEqual(['IN-BR']);
    expect((await outboxOf(caseId)).map((row) => row.envelopeId)).toEqual([accepted.publication.envelopeId]);
  });

  it('rejects with a reason: closed, audited, out of the queue, never published', async () => {
    const { caseId } = await submit();
    const noReason = await decide(policeA, caseId, 'reject', {});
    expect(noReason.status).toBe(400);
    expect((await decide(policeB, caseId, 'reject', { reason: 'x' })).status).toBe(403);
    const rejected = await decide(policeA, caseId, 'reject', {
      reason: 'hoax: no such child at the address',
    });
    expect(rejected.status).toBe(200);
    expect(await body(rejected)).toMatchObject({
      caseId,
      status: 'closed',
      closedReason: 'hoax: no such child at the address',
      verification: 'pending',
      version: 2,
    });
    expect(await auditOf(caseId)).toEqual(['intake.submit.missing_report', 'intake.reject']);
    expect((await queue(policeA)).map((entry: { caseId: string }) => entry.caseId)).not.toContain(caseId);
    expect((await decide(policeA, caseId, 'accept', undefined, 2)).status).toBe(409);
    expect(await outboxOf(caseId)).toEqual([]);
  });

  it('answers 404 for a case that is no citizen report, or no case at all', async () => {
    const officers = await node.request(policeA, 'POST', '/v1/reports', {
      kind: 'missing',
      child: { sex: 'female', age: { years: 7 } },
      place: { country: 'IN', state: 'WB', district: 'Nadia' },
      eventDate: '2025-09-01',
      missing: { guardians: [] },
    });
    const caseId = (await body(officers)).report.caseId;
    for (const id of [caseId, 'case_00000000000000000000000000']) {
      const response = await decide(policeA, id, 'accept');
      expect(response.status).toBe(404);
      expect((await body(response)).error.code).toBe('CASE_NOT_FOUND');
    }
    const [row] = await node.services.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row?.version).toBe(1);
  });
});
