// The public notice search on PGlite and PostgreSQL: it never shows a child rescued from
// trafficking, a child in a CCI, a case without a public notice, a pending citizen report or a
// closed case; it shows exactly the notice fields under an opaque id; it serves a notice's case
// photo only while the notice stands, and never a citizen's sighting photo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JPEG_1X1, png } from '../photos/test-images.ts';
import type { TestNode } from '../testing/test-node.ts';
import { body, caseIdOf, intakeApp, nodeOn, sighting } from './test-fixtures.ts';

const NOTICE_KEYS = ['age', 'contact', 'date', 'firstName', 'kind', 'noticeId', 'photoUrl', 'place', 'sex'];
const place = { country: 'IN', state: 'WB', district: 'Nadia' };
const missing = (name: string, extra: object = {}) => ({
  kind: 'missing',
  child: {
    name,
    aliases: ['Bappa'],
    sex: 'male',
    age: { years: 9 },
    identifyingMarks: ['mole on left cheek'],
  },
  place: { ...place, description: 'Ranaghat railway station' },
  eventDate: '2025-10-30',
  missing: {
    firNumber: 'RNG-412/25',
    guardians: [{ name: 'Sabita Debnath', relation: 'mother', phones: ['+91 90000 00000'] }],
  },
  publicNotice: true,
  ...extra,
});
const found = (name: string | undefined, details: object, extra: object = {}) => ({
  kind: 'found',
  child: { ...(name ? { name } : {}), sex: 'female', age: { estimateMin: 10, estimateMax: 13 } },
  place,
  eventDate: '2025-11-01',
  found: { foundBy: 'police', ...details },
  publicNotice: true,
  ...extra,
});

describe.each(['pglite', 'postgres'] as const)('public notices on %s', (database) => {
  let node: TestNode;
  let cleanup: () => Promise<void>;
  let police: string;
  let call: ReturnType<typeof intakeApp>;
  const ids = {} as Record<string, string>;

  beforeAll(async () => {
    ({ node, cleanup } = await nodeOn(database));
    const station = await node.unit({
      type: 'police_station',
      name: 'Ranaghat PS',
      phones: ['+91 3473 210000'],
    });
    police = (await node.user('police_officer', station.id)).token;
    const home = await node.unit({ type: 'cci', name: 'Nadia Children Home' });
    const cci = (await node.user('cci_staff', home.id)).token;
    const ahtu = (await node.user('ahtu_officer', (await node.unit({ type: 'ahtu' })).id)).token;
    const plenty = { limit: 1000, windowSeconds: 60 };
    call = intakeApp(node, { limits: { submissions: plenty, searches: plenty, photos: plenty } });
    const register = async (name: string, report: object, token = police) => {
      const response = await node.request(token, 'POST', '/v1/reports', report);
      expect(response.status, name).toBe(201);
      ids[name] = (await body(response)).report.caseId;
    };
    await register('Montu', missing('Montu Debnath'));
    await register('found', found(undefined, {}));
    await register('Rekha', found('Rekha Khatun', { foundBy: 'ahtu', rescuedFromTrafficking: true }), ahtu);
    await register('Puja', found('Puja Das', { foundBy: 'cci' }), cci);
    await register('Sima', found('Sima Roy', { placementUnitId: home.id }));
    // A CCI's own missing report (a child who left its care): in care, so never public.
    await register('Lali', missing('Lali Oraon'), cci);
    await register('Rahul', missing('Rahul Sen', { publicNotice: false }));
    await register('Bablu', missing('Bablu Sk'));
    const closed = await node.request(
      police,
      'POST',
      `/v1/reports/${ids.Bablu}/transitions`,
      { to: 'closed', reason: 'found at home' },
      { 'if-match': '"1"' },
    );
    expect(closed.status).toBe(200);
    // A citizen's report with a public notice set by an officer, but not yet accepted.
    const submitted = await call('POST', '/v1/public/sightings', {
      ...sighting,
      child: { ...sighting.child, name: 'Mina' },
    });
    ids.Mina = await caseIdOf(node, (await body(submitted)).reference);
    const patched = await node.request(
      police,
      'PATCH',
      `/v1/reports/${ids.Mina}`,
      { publicNotice: true },
      { 'if-match': '"1"' },
    );
    expect(patched.status).toBe(200);
  });
  afterAll(async () => cleanup?.());

  const search = async (query = '') => {
    const response = await call('GET', `/v1/public/notices?limit=50${query}`);
    expect(response.status).toBe(200);
    return (await body(response)).notices;
  };

  it('shows only verified, open notices of children neither trafficked nor in care, with exactly the notice fields', async () => {
    const notices = await search();
    expect(notices.map((notice: { firstName: string | null }) => notice.firstName).sort()).toEqual([
      'Montu',
      null,
    ]);
    for (const notice of notices) expect(Object.keys(notice).sort()).toEqual(NOTICE_KEYS);
    const montu = notices.find((notice: { firstName: string | null }) => notice.firstName === 'Montu');
    expect(montu).toEqual({
      noticeId: expect.stringMatching(/^notice_[0-9a-z]+$/),
      kind: 'missing',
      firstName: 'Montu',
      age: 9,
      sex: 'male',
      place: { district: 'Nadia', state: 'WB', country: 'IN' },
      date: '2025-10-30',
      contact: { unit: 'Ranaghat PS', phone: '+91 3473 210000' },
      photoUrl: null,
    });
    expect(notices.find((notice: { kind: string }) => notice.kind === 'found')).toMatchObject({
      age: 'about 10–13',
      sex: 'female',
    });
    const text = JSON.stringify(notices);
    for (const secret of [
      ...Object.values(ids),
      'Debnath',
      'Bappa',
      'RNG-412',
      'Sabita',
      'mole',
      'Ranaghat railway',
    ])
      expect(text).not.toContain(secret);
    // The same notice keeps its id.
    expect((await search()).map((notice: { noticeId: string }) => notice.noticeId).sort()).toEqual(
      notices.map((notice: { noticeId: string }) => notice.noticeId).sort(),
    );
  });

  it('shows a citizen report only once it is accepted', async () => {
    expect(JSON.stringify(await search('&q=Mina'))).toBe('[]');
    const accepted = await node.request(police, 'POST', `/v1/intake/${ids.Mina}/accept`, undefined, {
      'if-match': '"2"',
    });
    expect(accepted.status).toBe(200);
    const [mina] = await search('&q=mina');
    expect(mina).toMatchObject({ firstName: 'Mina', kind: 'found', photoUrl: null });
  });

  it('filters by first name (not surname, alias or FIR), district, sex and age range', async () => {
    const names = async (query: string) =>
      (await search(query)).map((notice: { firstName: string | null }) => notice.firstName);
    expect(await names('&q=mon')).toEqual(['Montu']);
    for (const hidden of [
      'Debnath',
      'Bappa',
      'RNG-412/25',
      'Rekha',
      'Puja',
      'Sima',
      'Lali',
      'Rahul',
      'Bablu',
      '%',
    ])
      expect(await names(`&q=${encodeURIComponent(hidden)}`), hidden).toEqual([]);
    expect(await names('&district=nadia&sex=male')).toEqual(['Montu']);
    expect(await names('&district=Kolkata')).toEqual([]);
    expect(await names('&ageFrom=12&kind=found')).toContain(null);
    expect(await names('&ageFrom=10&ageTo=11')).not.toContain('Montu');
    expect(await names('&ageTo=9')).toContain('Montu');
    const bad = await call('GET', '/v1/public/notices?ageFrom=12&ageTo=3');
    expect(bad.status).toBe(400);
    expect((await call('GET', '/v1/public/notices?sex=boy')).status).toBe(400);
  });

  it("serves a notice's case photo while the notice stands, and nothing once it is withdrawn", async () => {
    const image = png([9, 9, 9]);
    for (const bytes of [JPEG_1X1, image]) {
      const added = await node.app.request(`/v1/reports/${ids.Montu}/photos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${police}`, 'content-type': 'image/jpeg' },
        body: bytes,
      });
      expect(added.status).toBe(201);
    }
    const [montu] = await search('&q=Montu');
    expect(montu.photoUrl).toBe(`/v1/public/notices/${montu.noticeId}/photo`);
    const photo = await call('GET', montu.photoUrl);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await photo.arrayBuffer()).equals(image)).toBe(true);
    const version = Number(
      (await node.request(police, 'GET', `/v1/reports/${ids.Montu}`)).headers
        .get('etag')
        ?.replaceAll('"', ''),
    );
    const withdrawn = await node.request(
      police,
      'PATCH',
      `/v1/reports/${ids.Montu}`,
      { publicNotice: false },
      { 'if-match': `"${version}"` },
    );
    expect(withdrawn.status).toBe(200);
    expect((await call('GET', montu.photoUrl)).status).toBe(404);
    expect((await call('GET', '/v1/public/notices/notice_0000000000000000000000')).status).toBe(404);
    expect(await search('&q=Montu')).toEqual([]);
  });

  it("never serves a citizen's sighting photo, even on a published notice", async () => {
    const submitted = await call('POST', '/v1/public/sightings', {
      ...sighting,
      child: { ...sighting.child, name: 'Tuli' },
      photo: { data: png([5, 5, 5]).toString('base64') },
    });
    const caseId = await caseIdOf(node, (await body(submitted)).reference);
    await node.request(
      police,
      'PATCH',
      `/v1/reports/${caseId}`,
      { publicNotice: true },
      { 'if-match': '"1"' },
    );
    await node.request(police, 'POST', `/v1/intake/${caseId}/accept`, undefined, { 'if-match': '"2"' });
    const [tuli] = await search('&q=Tuli');
    expect(tuli).toMatchObject({ firstName: 'Tuli', photoUrl: null });
    expect((await call('GET', `/v1/public/notices/${tuli.noticeId}/photo`)).status).toBe(404);
  });
});
