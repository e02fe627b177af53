// The case photo routes on PGlite and PostgreSQL: the type comes from the bytes, refusals store
// nothing, the size limit holds at the byte, the same image is kept once per case, bytes come
// back exactly as sent (bytea on both drivers), reads are audited, and jurisdiction is the case's.
import { createHash, randomUUID } from 'node:crypto';
import type { ReportInput } from '@khoj/contracts';
import { MAX_PHOTO_BYTES, nodeRoutes } from '@khoj/contracts';
import { createServiceApp } from '@khoj/platform';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { authorize } from '../access/authorize.ts';
import { auditLog, casePhotos } from '../db/schema/index.ts';
import type { NodeEnv } from '../env.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { registerPhotoRoutes } from './photos.routes.ts';
import { GIF_1X1, JPEG_1X1, png, pngOfSize, WEBP_1X1 } from './test-images.ts';

const missingChild: ReportInput = {
  kind: 'missing',
  child: { name: 'Montu Debnath', sex: 'male', age: { years: 9 } },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-10-30',
  missing: { guardians: [] },
};
const foundByCci: ReportInput = {
  kind: 'found',
  child: { sex: 'female', age: { estimateMin: 10, estimateMax: 13 } },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-11-02',
  found: { foundBy: 'cci', rescuedFromTrafficking: false },
};

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const body = async (response: Response | Promise<Response>): Promise<any> => (await response).json();
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.each(['pglite', 'postgres'] as const)('case photos on %s', (database) => {
  let node: TestNode;
  let databaseUrl: string | undefined;
  const tokens = {} as Record<'policeA' | 'policeB' | 'cciA' | 'cciB' | 'dcpu', string>;

  beforeAll(async () => {
    databaseUrl =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`)
        : undefined;
    node = await createTestNode('IN-WB', databaseUrl);
    tokens.policeA = (
      await node.user('police_officer', (await node.unit({ type: 'police_station' })).id)
    ).token;
    tokens.policeB = (
      await node.user('police_officer', (await node.unit({ type: 'police_station' })).id)
    ).token;
    tokens.cciA = (await node.user('cci_staff', (await node.unit({ type: 'cci' })).id)).token;
    tokens.cciB = (await node.user('cci_staff', (await node.unit({ type: 'cci' })).id)).token;
    tokens.dcpu = (await node.user('dcpu_officer', (await node.unit({ type: 'dcpu' })).id)).token;
  });
  afterAll(async () => {
    await node?.cleanup();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
  });

  async function register(token: string, report: ReportInput): Promise<string> {
    const response = await node.request(token, 'POST', '/v1/reports', report);
    expect(response.status).toBe(201);
    return (await body(response)).report.caseId;
  }
  /** Sends the bytes as they are, as a browser sends a file (the type from its name). */
  const upload = (token: string, caseId: string, bytes: Uint8Array, contentType?: string) =>
    node.app.request(`/v1/reports/${caseId}/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) },
      body: bytes,
    });
  const photoRows = async (caseId: string) =>
    (await node.services.db.select({ n: count() }).from(casePhotos).where(eq(casePhotos.caseId, caseId)))[0]
      ?.n;

  it('stores a PNG named .jpg as image/png, lists it, and serves the same bytes, audited', async () => {
    const caseId = await register(tokens.policeA, missingChild);
    const image = png([10, 20, 30]);
    const response = await upload(tokens.policeA, caseId, image, 'image/jpeg');
    expect(response.status).toBe(201);
    const photo = await body(response);
    expect(photo).toMatchObject({
      caseId,
      mime: 'image/png',
      sizeBytes: image.length,
      sha256: sha256(image),
    });
    expect(photo.photoId).toMatch(/^photo_/);

    const list = await body(node.request(tokens.policeA, 'GET', `/v1/reports/${caseId}/photos`));
    expect(list.photos).toEqual([photo]);

    const read = await node.request(tokens.policeA, 'GET', `/v1/reports/${caseId}/photos/${photo.photoId}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toBe('image/png');
    expect(read.headers.get('etag')).toBe(`"${sha256(image)}"`);
    expect(read.headers.get('x-content-type-options')).toBe('nosniff');
    expect(read.headers.get('cache-control')).toContain('no-store');
    expect(Buffer.from(await read.arrayBuffer()).equals(image)).toBe(true);

    const audited = await node.services.db.select().from(auditLog).where(eq(auditLog.recordId, caseId));
    expect(audited.map((entry) => [entry.action, entry.reason])).toEqual(
      expect.arrayContaining([
        ['case.photo.add', `${photo.photoId} image/png ${image.length} bytes`],
        ['case.photo.read', photo.photoId],
      ]),
    );
  });

  it('takes JPEG and WebP too, whatever type was declared', async () => {
    const caseId = await register(tokens.policeA, missingChild);
    expect((await body(upload(tokens.policeA, caseId, JPEG_1X1, 'application/octet-stream'))).mime).toBe(
      'image/jpeg',
    );
    expect((await body(upload(tokens.policeA, caseId, WEBP_1X1, 'image/png'))).mime).toBe('image/webp');
  });

  it('refuses what is not a JPEG, PNG or WebP, whatever its type says, and stores nothing', async () => {
    const caseId = await register(tokens.policeA, missingChild);
    const before = (await node.services.db.select({ n: count() }).from(auditLog))[0]?.n;
    for (const [bytes, type, says] of [
      [Buffer.from('Montu was last seen near platform 2'), 'image/jpeg', 'not an image we recognise'],
      [GIF_1X1, 'image/gif', 'send the photo'], // the declared type is not one we take
      [GIF_1X1, 'image/png', 'the content is a GIF image'],
      [png(), 'text/plain', 'not text/plain'],
      [Buffer.from('{}'), 'application/json', 'not application/json'],
      [png(), undefined, 'not none'],
      [Buffer.alloc(0), 'image/png', 'empty'],
    ] as const) {
      const response = await upload(tokens.policeA, caseId, bytes, type);
      expect(response.status, `${type}: ${says}`).toBe(400);
      const { error } = await body(response);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toContain(says);
    }
    expect(await photoRows(caseId)).toBe(0);
    expect((await node.services.db.select({ n: count() }).from(auditLog))[0]?.n).toBe(before);
  });

  it('takes a photo of exactly 2 MiB byte for byte, and refuses one byte more with 413', async () => {
    const caseId = await register(tokens.policeA, missingChild);
    const largest = pngOfSize(MAX_PHOTO_BYTES); // its padding runs through every byte value
    const stored = await upload(tokens.policeA, caseId, largest, 'image/png');
    expect(stored.status).toBe(201);
    const { photoId } = await body(stored);
    const [row] = await node.services.db.select().from(casePhotos).where(eq(casePhotos.id, photoId));
    expect(row?.bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(row?.bytes ?? []).equals(largest)).toBe(true);
    const read = await node.request(tokens.policeA, 'GET', `/v1/reports/${caseId}/photos/${photoId}`);
    expect(Buffer.from(await read.arrayBuffer()).equals(largest)).toBe(true);

    const tooLarge = await upload(tokens.policeA, caseId, pngOfSize(MAX_PHOTO_BYTES + 1), 'image/png');
    expect(tooLarge.status).toBe(413);
    expect((await body(tooLarge)).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await photoRows(caseId)).toBe(1);

    // Where the app takes larger bodies (for other routes), the photo route still stops at 2 MiB.
    const roomy = createServiceApp<NodeEnv>({ service: 'test', maxBodyBytes: 8 << 20 });
    roomy.use('*', authorize(node.services, nodeRoutes));
    registerPhotoRoutes(roomy, node.services);
    const refused = await roomy.request(`/v1/reports/${caseId}/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.policeA}`, 'content-type': 'image/png' },
      body: pngOfSize(MAX_PHOTO_BYTES + 1),
    });
    expect(refused.status).toBe(413);
    expect((await body(refused)).error.message).toBe(`a photo may have at most ${MAX_PHOTO_BYTES} bytes`);
    expect(await photoRows(caseId)).toBe(1);
  });

  it('keeps the same image once per case: the second upload answers 200 with the stored photo', async () => {
    const caseId = await register(tokens.policeA, missingChild);
    const image = png([1, 2, 3]);
    const first = await upload(tokens.policeA, caseId, image, 'image/png');
    const again = await upload(tokens.policeA, caseId, image, 'image/jpeg');
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(await body(again)).toEqual(await body(first));
    expect(await photoRows(caseId)).toBe(1);
    // Another case may have the same image: it is its own photo.
    const otherCase = await register(tokens.policeA, missingChild);
    expect((await upload(tokens.policeA, otherCase, image, 'image/png')).status).toBe(201);
    // Concurrent uploads of one image still leave one row.
    const racing = await register(tokens.policeA, missingChild);
    const statuses = await Promise.all(
      [1, 2, 3].map(() => upload(tokens.policeA, racing, image, 'image/png')),
    );
    expect(statuses.map((response) => response.status).sort()).toEqual([200, 200, 201]);
    expect(await photoRows(racing)).toBe(1);
  });

  it("keeps a child in care's photos from another CCI and from the police (404)", async () => {
    const caseId = await register(tokens.cciA, foundByCci);
    const { photoId } = await body(upload(tokens.cciA, caseId, png([9, 9, 9]), 'image/png'));
    expect((await node.request(tokens.cciA, 'GET', `/v1/reports/${caseId}/photos/${photoId}`)).status).toBe(
      200,
    );
    for (const token of [tokens.cciB, tokens.policeA]) {
      for (const response of [
        await node.request(token, 'GET', `/v1/reports/${caseId}/photos`),
        await node.request(token, 'GET', `/v1/reports/${caseId}/photos/${photoId}`),
        await upload(token, caseId, png([8, 8, 8]), 'image/png'),
      ]) {
        expect(response.status).toBe(404);
        expect((await body(response)).error.code).toBe('CASE_NOT_FOUND');
      }
    }
    expect(await photoRows(caseId)).toBe(1);
    // The district's DCPU oversees the child: it may look, not add.
    expect((await node.request(tokens.dcpu, 'GET', `/v1/reports/${caseId}/photos/${photoId}`)).status).toBe(
      200,
    );
    const dcpuAdds = await upload(tokens.dcpu, caseId, png([7, 7, 7]), 'image/png');
    expect((await body(dcpuAdds)).error).toMatchObject({
      code: 'FORBIDDEN',
      message: 'your role may not case.update',
    });
  });

  it("lets another station see a missing child's photo but not add one (403)", async () => {
    const caseId = await register(tokens.policeA, missingChild);
    const { photoId } = await body(upload(tokens.policeA, caseId, png([5, 5, 5]), 'image/png'));
    expect(
      (await node.request(tokens.policeB, 'GET', `/v1/reports/${caseId}/photos/${photoId}`)).status,
    ).toBe(200);
    const refused = await upload(tokens.policeB, caseId, png([6, 6, 6]), 'image/png');
    expect(refused.status).toBe(403);
    expect((await body(refused)).error.code).toBe('FORBIDDEN');
    expect(await photoRows(caseId)).toBe(1);
  });

  it('answers 404 for a photo of another case and 400 for a malformed id', async () => {
    const caseA = await register(tokens.policeA, missingChild);
    const caseB = await register(tokens.policeA, missingChild);
    const { photoId } = await body(upload(tokens.policeA, caseA, png([4, 4, 4]), 'image/png'));
    const elsewhere = await node.request(tokens.policeA, 'GET', `/v1/reports/${caseB}/photos/${photoId}`);
    expect(elsewhere.status).toBe(404);
    expect((await body(elsewhere)).error.code).toBe('NOT_FOUND');
    expect((await node.request(tokens.policeA, 'GET', `/v1/reports/${caseA}/photos/42`)).status).toBe(400);
    const noCase = await upload(tokens.policeA, 'case_00000000000000000000000000', png(), 'image/png');
    expect((await body(noCase)).error.code).toBe('CASE_NOT_FOUND');
  });
});
