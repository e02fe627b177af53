// The public submissions on PGlite and PostgreSQL: a citizen's report becomes a pending case of
// the right police station, with the reporter kept apart, audited, unpublished; bad input and
// bad photos are refused with nothing stored; a node without police answers 503.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, cases, intakePhotos, intakeSubmissions, outbox } from '../db/schema/index.ts';
import { JPEG_1X1, png, WEBP_1X1 } from '../photos/test-images.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { REFERENCE_PATTERN } from './reference.ts';
import { body, caseIdOf, intakeApp, missingReport, nodeOn, sighting } from './test-fixtures.ts';

describe.each(['pglite', 'postgres'] as const)('citizen submissions on %s', (database) => {
  let node: TestNode;
  let cleanup: () => Promise<void>;
  const stations = {} as Record<'ranaghat' | 'kolkata' | 'patna' | 'closedNadia', string>;
  let call: ReturnType<typeof intakeApp>;

  beforeAll(async () => {
    ({ node, cleanup } = await nodeOn(database));
    await node.addMembers('IN-BR', 'BD');
    await node.unit({ type: 'cci', name: 'Nadia Children Home' });
    stations.ranaghat = (await node.unit({ type: 'police_station', name: 'Ranaghat PS' })).id;
    // A station with no district or state on record must not win any district or state.
    await node.unit({ type: 'police_station', state: undefined, district: undefined });
    stations.kolkata = (await node.unit({ type: 'police_station', district: 'Kolkata' })).id;
    stations.patna = (await node.unit({ type: 'police_station', state: 'BR', district: 'Patna' })).id;
    stations.closedNadia = (
      await node.unit({ type: 'police_station', district: 'Murshidabad', active: false })
    ).id;
    const plenty = { limit: 1000, windowSeconds: 60 };
    call = intakeApp(node, { limits: { submissions: plenty, searches: plenty, photos: plenty } });
  });
  afterAll(async () => cleanup?.());

  const stored = async () => {
    const db = node.services.db;
    const n = async (
      table: typeof cases | typeof intakeSubmissions | typeof intakePhotos | typeof auditLog,
    ) => (await db.select({ n: count() }).from(table))[0]?.n;
    return {
      cases: await n(cases),
      submissions: await n(intakeSubmissions),
      photos: await n(intakePhotos),
      audit: await n(auditLog),
    };
  };

  it('answers 202 with a reference only, and stores a pending, unshared case of the local station', async () => {
    const response = await node.request(undefined, 'POST', '/v1/public/reports/missing', {
      ...missingReport,
      // A citizen cannot vouch for their own report nor publish it.
      verification: 'verified',
      publicNotice: true,
    });
    expect(response.status).toBe(202);
    const receipt = await body(response);
    expect(Object.keys(receipt)).toEqual(['reference']);
    expect(receipt.reference).toMatch(REFERENCE_PATTERN);
    expect(receipt.reference.startsWith('IN-WB-')).toBe(true);

    const caseId = await caseIdOf(node, receipt.reference);
    const [row] = await node.services.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row).toMatchObject({
      kind: 'missing',
      verification: 'pending',
      ownerUnitId: stations.ranaghat,
      publicNotice: false,
      consent: null,
      createdBy: 'citizen',
      eventDate: missingReport.lastSeenOn,
      missing: { guardians: [], circumstances: missingReport.description },
    });
    // The reporter and the exact position stay with the submission, out of the case.
    expect(JSON.stringify(row)).not.toContain('Sabita');
    expect(JSON.stringify(row)).not.toContain('23.18');
    const [submission] = await node.services.db
      .select()
      .from(intakeSubmissions)
      .where(eq(intakeSubmissions.caseId, caseId));
    expect(submission).toMatchObject({
      source: 'missing_report',
      reporterName: 'Sabita Debnath',
      reporterRelation: 'mother',
      lat: 23.18,
      decision: 'pending',
    });
    const audit = await node.services.db.select().from(auditLog).where(eq(auditLog.recordId, caseId));
    expect(audit).toMatchObject([
      {
        actorId: 'citizen',
        action: 'intake.submit.missing_report',
        unitId: stations.ranaghat,
        reason: receipt.reference,
      },
    ]);
    expect(await node.services.db.select().from(outbox).where(eq(outbox.subject, caseId))).toEqual([]);
  });

  it.each([
    ['the same district (any case)', { state: 'wb', district: 'kolkata' }, 'kolkata'],
    ['the same state', { state: 'BR', district: 'Gaya' }, 'patna'],
    ['the district alone (no state given)', { state: undefined, district: 'Kolkata' }, 'kolkata'],
    ['nowhere near: the first station', { state: 'Bagmati', district: 'Kathmandu' }, 'ranaghat'],
    ['an inactive station’s district: not that one', { state: 'WB', district: 'Murshidabad' }, 'ranaghat'],
  ] as const)('routes a report from %s', async (_, where, station) => {
    const response = await call('POST', '/v1/public/sightings', {
      ...sighting,
      place: { ...sighting.place, ...where },
    });
    expect(response.status).toBe(202);
    const [row] = await node.services.db
      .select()
      .from(cases)
      .where(eq(cases.id, await caseIdOf(node, (await body(response)).reference)));
    expect(row?.ownerUnitId).toBe(stations[station]);
    expect(row).toMatchObject({ kind: 'found', verification: 'pending', found: { foundBy: 'citizen' } });
  });

  it('types a photo by its content: a PNG named .jpg is stored as PNG, with its hash and size', async () => {
    const image = png([0, 128, 255]);
    const response = await call('POST', '/v1/public/sightings', {
      ...sighting,
      photo: { data: image.toString('base64'), fileName: 'IMG_2041.jpg', contentType: 'image/jpeg' },
    });
    expect(response.status).toBe(202);
    const caseId = await caseIdOf(node, (await body(response)).reference);
    const [photo] = await node.services.db.select().from(intakePhotos).where(eq(intakePhotos.caseId, caseId));
    expect(photo).toMatchObject({ mime: 'image/png', sizeBytes: image.length, declaredName: 'IMG_2041.jpg' });
    expect(photo?.sha256).toBe(
      (await import('node:crypto')).createHash('sha256').update(image).digest('hex'),
    );
    expect(Buffer.from(photo?.bytes ?? []).equals(image)).toBe(true);
    for (const [bytes, mime] of [
      [JPEG_1X1, 'image/jpeg'],
      [WEBP_1X1, 'image/webp'],
    ] as const) {
      const other = await call('POST', '/v1/public/sightings', {
        ...sighting,
        photo: { data: bytes.toString('base64'), contentType: 'image/png' },
      });
      const id = await caseIdOf(node, (await body(other)).reference);
      expect(
        (await node.services.db.select().from(intakePhotos).where(eq(intakePhotos.caseId, id)))[0]?.mime,
      ).toBe(mime);
    }
  });

  it('refuses bad input with 400 (or 413 for an oversize photo) and stores nothing', async () => {
    const before = await stored();
    const garbage = Buffer.from('<script>alert(1)</script> definitely a jpeg').toString('base64');
    const oversize = Buffer.alloc(2 * 1024 * 1024 + 1, 0xff);
    oversize.set([0xff, 0xd8, 0xff, 0xe0]);
    for (const [path, bad, status, field] of [
      [
        '/v1/public/sightings',
        { ...sighting, photo: { data: garbage, fileName: 'photo.jpg' } },
        400,
        'photo.data',
      ],
      ['/v1/public/sightings', { ...sighting, photo: { data: 'not base64!' } }, 400, 'photo.data'],
      ['/v1/public/sightings', { ...sighting, photo: { data: oversize.toString('base64') } }, 413, 'photo'],
      ['/v1/public/reports/missing', { ...missingReport, reporter: { name: 'A' } }, 400, 'reporter.phone'],
      ['/v1/public/reports/missing', { ...missingReport, child: { sex: 'male' } }, 400, 'child.age'],
      ['/v1/public/reports/missing', { ...missingReport, place: { country: 'India' } }, 400, 'place'],
      ['/v1/public/reports/missing', { ...missingReport, lastSeenOn: '2999-01-01' }, 400, 'lastSeenOn'],
      [
        '/v1/public/sightings',
        { ...sighting, place: { ...sighting.place, location: { lat: 91, lon: 0 } } },
        400,
        'place.location.lat',
      ],
    ] as const) {
      const response = await call('POST', path, bad);
      expect(response.status, field).toBe(status);
      const { error } = await body(response);
      expect(error.code).toBe(status === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED');
      expect(error.message).toContain(field);
    }
    expect(await stored()).toEqual(before);
  });

  it('refuses an oversize photo through the node app too (its body limit answers first)', async () => {
    const before = await stored();
    const oversize = Buffer.alloc(2 * 1024 * 1024 + 1, 0xff);
    const response = await node.request(undefined, 'POST', '/v1/public/sightings', {
      ...sighting,
      photo: { data: oversize.toString('base64') },
    });
    expect(response.status).toBe(413);
    expect((await body(response)).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await stored()).toEqual(before);
  });
});

describe('a node without a police station', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await createTestNode('NP');
    await node.unit({ type: 'cci', country: 'NP' });
  });
  afterAll(async () => node?.cleanup());

  it('answers 503 INTAKE_UNAVAILABLE, says whom to call instead, and stores nothing', async () => {
    const response = await node.request(undefined, 'POST', '/v1/public/reports/missing', missingReport);
    expect(response.status).toBe(503);
    const { error } = await body(response);
    expect(error.code).toBe('INTAKE_UNAVAILABLE');
    expect(error.message).toContain('1098');
    expect((await node.services.db.select({ n: count() }).from(cases))[0]?.n).toBe(0);
  });
});
