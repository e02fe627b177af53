// The report routes in-process (app.request), on PGlite and on PostgreSQL: registering (with the
// envelope in the same transaction), reading, listing within jurisdiction, changing with
// If-Match, the lifecycle, progress entries and versions.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ReportInput } from '@khoj/contracts';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { nodeOpenApiFromApp } from '../app.ts';
import { cases, federationMembers, outbox } from '../db/schema/index.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';

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

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const body = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe.each(['pglite', 'postgres'] as const)('node reports on %s', (database) => {
  let node: TestNode;
  let databaseUrl: string | undefined;
  let police: string;
  let otherPolice: string;
  let cci: { token: string; unitId: string };

  beforeAll(async () => {
    databaseUrl =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`)
        : undefined;
    node = await createTestNode('IN-WB', databaseUrl);
    await node.addMembers('IN-BR', 'BD', 'NP');
    const station = await node.unit({ type: 'police_station', name: 'Ranaghat PS' });
    police = (await node.user('police_officer', station.id)).token;
    otherPolice = (await node.user('police_officer', (await node.unit({ type: 'police_station' })).id)).token;
    const home = await node.unit({ type: 'cci', name: 'Nadia Children Home' });
    cci = { token: (await node.user('cci_staff', home.id)).token, unitId: home.id };
  });
  afterAll(async () => {
    await node?.cleanup();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
  });

  const create = (report: unknown, token = police) => node.request(token, 'POST', '/v1/reports', report);
  const caseCount = async () => (await node.services.db.select({ n: count() }).from(cases))[0]?.n;

  it('stores a shared report and its envelope for the consented members in one go', async () => {
    const response = await create(missingChild);
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('"1"');
    const created = await body(response);
    expect(created.report).toMatchObject({
      kind: 'missing',
      status: 'open',
      version: 1,
      child: missingChild.child,
      missing: missingChild.missing,
    });
    expect(created.report.consent.grantedAt).toMatch(/^\d{4}-/);
    expect(created.publication.recipients.sort()).toEqual(['BD', 'IN-BR']);
    const [row] = await node.services.db
      .select()
      .from(outbox)
      .where(eq(outbox.envelopeId, created.publication.envelopeId));
    expect(row).toMatchObject({ status: 'pending', subject: created.report.caseId });
    expect(JSON.stringify(row?.envelope)).not.toContain('Montu');
  });

  it('keeps a report without consent, or whose recipients name no member, at this node', async () => {
    const { consent: _, ...unshared } = missingChild;
    const local = await body(create(unshared));
    expect(local.publication).toBeNull();
    // IN-MH is within the sharing policy's IN-* but no member of this federation yet.
    const nobody = await body(
      create({ ...missingChild, consent: { ...missingChild.consent, recipients: ['IN-MH'] } }),
    );
    expect(nobody.publication).toBeNull();
    const subjects = (await node.services.db.select().from(outbox)).map((row) => row.subject);
    expect(subjects).not.toContain(local.report.caseId);
    expect(subjects).not.toContain(nobody.report.caseId);
  });

  it('refuses invalid reports with 400 VALIDATION_FAILED naming the field, and stores nothing', async () => {
    const before = await caseCount();
    for (const [bad, field] of [
      [
        { ...missingChild, child: { ...missingChild.child, age: { estimateMin: 12, estimateMax: 9 } } },
        'child.age',
      ],
      [{ ...missingChild, child: { name: 'x' } }, 'child.sex'],
      [
        { ...missingChild, consent: { ...missingChild.consent, recipients: ['india'] } },
        'consent.recipients',
      ],
      [{ ...missingChild, eventDate: 'yesterday' }, 'eventDate'],
      [{ ...missingChild, missing: undefined }, 'missing'],
      [{ ...missingChild, found: { foundBy: 'police' } }, 'missing'],
    ] as const) {
      const response = await create(bad);
      expect(response.status).toBe(400);
      const { error } = await body(response);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toContain(field);
    }
    expect(await caseCount()).toBe(before);
  });

  it('stores no case when its envelope cannot be sealed (same transaction), and says no more than "internal"', async () => {
    const before = await caseCount();
    const [np] = await node.services.db
      .select()
      .from(federationMembers)
      .where(eq(federationMembers.nodeId, 'NP'));
    await node.services.db
      .update(federationMembers)
      .set({ encryptionKeys: [{ kty: 'OKP', crv: 'X25519', x: 'broken', kid: 'enc_broken' }] })
      .where(eq(federationMembers.nodeId, 'NP'));
    const response = await create({
      ...missingChild,
      consent: { ...missingChild.consent, recipients: ['NP'] },
    });
    await node.services.db
      .update(federationMembers)
      .set({ encryptionKeys: np?.encryptionKeys ?? [] })
      .where(eq(federationMembers.nodeId, 'NP'));
    expect(response.status).toBe(500);
    expect((await body(response)).error).toMatchObject({ code: 'INTERNAL', message: 'internal error' });
    expect(await caseCount()).toBe(before);
  });

  it('reads a report back with its version as ETag; unknown and malformed ids answer 404 and 400', async () => {
    const created = await body(create(missingChild));
    const read = await node.request(police, 'GET', `/v1/reports/${created.report.caseId}`);
    expect(read.headers.get('etag')).toBe('"1"');
    expect(await body(read)).toEqual(created.report);
    const missing = await node.request(police, 'GET', '/v1/reports/case_00000000000000000000000000');
    expect(missing.status).toBe(404);
    expect((await body(missing)).error.code).toBe('CASE_NOT_FOUND');
    expect((await node.request(police, 'GET', '/v1/reports/42')).status).toBe(400);
  });

  it('lets two officers not overwrite each other: a change needs If-Match and a stale one gets 412', async () => {
    const { report } = await body(create(missingChild));
    const path = `/v1/reports/${report.caseId}`;
    const change = { child: { ...missingChild.child, heightCm: 128 }, reason: 'height from school records' };
    expect((await body(node.request(police, 'PATCH', path, change))).error.code).toBe(
      'PRECONDITION_REQUIRED',
    );
    const first = await node.request(police, 'PATCH', path, change, { 'if-match': '"1"' });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    const updated = await body(first);
    expect(updated.report.child.heightCm).toBe(128);
    expect(updated.publication.envelopeId).not.toBe(undefined);
    const stale = await node.request(
      police,
      'PATCH',
      path,
      { child: { ...missingChild.child, heightCm: 130 } },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect((await body(stale)).error.code).toBe('VERSION_CONFLICT');
    // A version past the column's 32-bit range is no version at all (it was a 500).
    const beyond = await node.request(police, 'PATCH', path, change, { 'if-match': '"5511686492"' });
    expect(beyond.status).toBe(400);
    expect((await body(beyond)).error.code).toBe('VALIDATION_FAILED');
    expect((await body(node.request(police, 'GET', path))).child.heightCm).toBe(128);
  });

  it('moves a case through its lifecycle and refuses illegal moves with a clear code', async () => {
    const { report } = await body(create(missingChild));
    const move = (to: string, version: number, reason?: string) =>
      node.request(
        police,
        'POST',
        `/v1/reports/${report.caseId}/transitions`,
        { to, ...(reason ? { reason } : {}) },
        { 'if-match': `"${version}"` },
      );
    const skip = await move('reunited', 1);
    expect(skip.status).toBe(409);
    expect((await body(skip)).error).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED' });
    expect((await body(move('closed', 1))).error.code).toBe('VALIDATION_FAILED');
    expect((await body(move('under_review', 1))).status).toBe('under_review');
    expect((await body(move('matched', 2))).status).toBe('matched');
    const reunited = await body(move('reunited', 3));
    expect(reunited).toMatchObject({ status: 'reunited', version: 4 });
    const closed = await body(move('closed', 4, 'restored to mother by CWC order'));
    expect(closed).toMatchObject({ status: 'closed', closedReason: 'restored to mother by CWC order' });
    const versions = await body(node.request(police, 'GET', `/v1/reports/${report.caseId}/versions`));
    expect(
      versions.versions.map((v: { version: number; change: string; report: { status: string } }) => [
        v.version,
        v.change,
        v.report.status,
      ]),
    ).toEqual([
      [1, 'create', 'open'],
      [2, 'transition', 'under_review'],
      [3, 'transition', 'matched'],
      [4, 'transition', 'reunited'],
      [5, 'transition', 'closed'],
    ]);
  });

  it('records dated progress for a child in care, by the CCI that has the child', async () => {
    const inCare = await body(
      create(
        {
          kind: 'found',
          child: {
            name: 'Kanchhi',
            sex: 'female',
            age: { estimateMin: 10, estimateMax: 13 },
            languages: ['ne'],
          },
          place: { country: 'IN', state: 'WB', district: 'Nadia' },
          eventDate: '2026-11-02',
          found: { foundBy: 'cci', rescuedFromTrafficking: false },
        },
        cci.token,
      ),
    );
    expect(inCare.report.found.placementUnitId).toBe(cci.unitId);
    const path = `/v1/reports/${inCare.report.caseId}/progress`;
    const entry = await node.request(cci.token, 'POST', path, {
      type: 'care_plan',
      date: '2026-11-05',
      note: 'Individual care plan agreed with CWC',
    });
    expect(entry.status).toBe(201);
    await node.request(cci.token, 'POST', path, {
      type: 'admission',
      date: '2026-11-02',
      note: 'Admitted on CWC order 12/26',
    });
    const entries = await body(node.request(cci.token, 'GET', path));
    expect(entries.entries.map((e: { type: string }) => e.type)).toEqual(['admission', 'care_plan']);
    expect(
      (await node.request(cci.token, 'POST', path, { type: 'picnic', date: '2026-11-05', note: 'x' })).status,
    ).toBe(400);
  });

  it('lists newest first within jurisdiction, filters, searches by name or FIR in any script, and pages', async () => {
    const mine = await body(create({ ...missingChild, child: { ...missingChild.child, name: 'রিয়া দাস' } }));
    const list = await body(node.request(police, 'GET', '/v1/reports?kind=missing&limit=2'));
    expect(list.reports).toHaveLength(2);
    expect(list.reports[0].caseId).toBe(mine.report.caseId);
    const next = await body(
      node.request(police, 'GET', `/v1/reports?kind=missing&limit=2&cursor=${list.next}`),
    );
    expect(next.reports.map((r: { caseId: string }) => r.caseId)).not.toContain(list.reports[0].caseId);
    const byName = await body(node.request(otherPolice, 'GET', `/v1/reports?q=${encodeURIComponent('রিয়া')}`));
    expect(byName.reports.map((r: { caseId: string }) => r.caseId)).toEqual([mine.report.caseId]);
    const byFir = await body(node.request(police, 'GET', '/v1/reports?q=rng-412/26&limit=200'));
    expect(byFir.reports.length).toBeGreaterThan(1);
    const inCare = await body(node.request(police, 'GET', '/v1/reports?inCare=true'));
    expect(inCare.reports).toEqual([]); // police do not see another unit's children in care
    expect((await body(node.request(cci.token, 'GET', '/v1/reports?inCare=true'))).reports.length).toBe(1);
    expect((await node.request(police, 'GET', '/v1/reports?cursor=garbage')).status).toBe(400);
  });

  it('searches by a word newest first across pages, and follows a renamed child to the new word', async () => {
    const realClock = node.services.clock;
    const word = `w${randomUUID().slice(0, 8)}`;
    const made: string[] = [];
    try {
      for (const [i, name] of [`Sumon ${word}`, `${word} Roy`, `Puja (${word})`].entries()) {
        node.services.clock = () => new Date(Date.UTC(2026, 10, 1, 10, i));
        made.push(
          (await body(create({ ...missingChild, child: { ...missingChild.child, name } }))).report.caseId,
        );
      }
    } finally {
      node.services.clock = realClock;
    }
    const search = (q: string, extra = '') =>
      body(node.request(otherPolice, 'GET', `/v1/reports?q=${encodeURIComponent(q)}${extra}`));
    const seen: string[] = [];
    let page = await search(word.toUpperCase(), '&limit=2');
    seen.push(...page.reports.map((r: { caseId: string }) => r.caseId));
    page = await search(word, `&limit=2&cursor=${page.next}`);
    seen.push(...page.reports.map((r: { caseId: string }) => r.caseId));
    expect(page.next).toBeNull();
    expect(seen).toEqual([...made].reverse());
    expect((await search(word, '&kind=found')).reports).toEqual([]);

    // Renaming the newest: its old word no longer finds it, its new one does.
    const [first, , newest] = made;
    const renamed = `v${randomUUID().slice(0, 8)}`;
    const changed = await node.request(
      police,
      'PATCH',
      `/v1/reports/${newest}`,
      { child: { ...missingChild.child, name: `Puja ${renamed}` } },
      { 'if-match': '"1"' },
    );
    expect(changed.status).toBe(200);
    const ids = async (q: string) => (await search(q)).reports.map((r: { caseId: string }) => r.caseId);
    expect(await ids(word)).toEqual([made[1], first]);
    expect(await ids(renamed)).toEqual([newest]);
    expect(await ids('puja')).toContain(newest);
    // A stale If-Match changes neither the case nor its words.
    const stale = await node.request(
      police,
      'PATCH',
      `/v1/reports/${newest}`,
      { child: { ...missingChild.child, name: word } },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(await ids(word)).toEqual([made[1], first]);
  });

  it('searches a word within a district, and follows a case moved to another district', async () => {
    const word = `d${randomUUID().slice(0, 8)}`;
    const named = (district: string) => ({
      ...missingChild,
      child: { ...missingChild.child, name: `Tumpa ${word}` },
      place: { country: 'IN', state: 'WB', district },
    });
    const realClock = node.services.clock;
    const createdAt = (minute: number) => () => new Date(Date.UTC(2026, 10, 2, 9, minute));
    let nadia: string;
    let malda: string;
    try {
      node.services.clock = createdAt(0);
      nadia = (await body(create(named('Nadia')))).report.caseId;
      node.services.clock = createdAt(1);
      malda = (await body(create(named('Malda')))).report.caseId;
    } finally {
      node.services.clock = realClock;
    }
    const dcpuNadia = (
      await node.user('dcpu_officer', (await node.unit({ type: 'dcpu', district: 'Nadia' })).id)
    ).token;
    const ids = async (token: string, extra = '') =>
      (await body(node.request(token, 'GET', `/v1/reports?q=${word}${extra}`))).reports.map(
        (r: { caseId: string }) => r.caseId,
      );
    expect(await ids(otherPolice, '&district=Malda')).toEqual([malda]);
    expect(await ids(otherPolice, '&district=Howrah')).toEqual([]);
    expect(await ids(dcpuNadia)).toEqual([nadia]);
    expect(await ids(dcpuNadia, '&district=Malda')).toEqual([]);

    const moved = await node.request(
      police,
      'PATCH',
      `/v1/reports/${malda}`,
      { place: { country: 'IN', state: 'WB', district: 'Nadia' }, reason: 'district corrected' },
      { 'if-match': '"1"' },
    );
    expect(moved.status).toBe(200);
    expect(await ids(otherPolice, '&district=Malda')).toEqual([]);
    expect(await ids(otherPolice, '&district=Nadia')).toEqual([malda, nadia]);
    expect(await ids(dcpuNadia)).toEqual([malda, nadia]);
  });

  it('serves exactly the routes of the committed OpenAPI document', async () => {
    const committed = JSON.parse(
      await readFile(new URL('../../../contracts/openapi/node.json', import.meta.url), 'utf8'),
    );
    expect(nodeOpenApiFromApp(node.app)).toEqual(committed);
  });
});
