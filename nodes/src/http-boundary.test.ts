// What the node's HTTP boundary (platform's createServiceApp) guarantees on every route, driven by
// the routes registered on the app so that a new route is covered without being listed: the
// security headers on whatever answer comes back, and text the node cannot store (NUL, other
// controls, unpaired surrogates, bytes that are not UTF-8) refused with 400 INPUT_ENCODING_INVALID
// before a route reads it, nothing stored. Before the boundary, `?q=%00` made PostgreSQL fail
// mid-query: 500, and the failed statement in the log. In-process on PGlite.
import type { ReportInput } from '@khoj/contracts';
import { count, getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from './db/schema/index.ts';
import { createTestNode, type TestNode } from './testing/test-node.ts';

const SECURITY_HEADERS = {
  'cache-control': /no-store/,
  'x-content-type-options': /^nosniff$/,
  'referrer-policy': /^no-referrer$/,
  'x-frame-options': /^DENY$/,
  'content-security-policy': /^default-src 'none';.*frame-ancestors 'none'$/,
};

const missingChild: ReportInput = {
  kind: 'missing',
  child: { name: 'Rupa Mondal', sex: 'female', age: { years: 12 }, languages: ['bn'] },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-09-14',
  missing: { gdNumber: 'GD 1187/26', guardians: [{ name: 'Anil Mondal', relation: 'father', phones: [] }] },
};

const TABLES = (Object.values(schema) as unknown[]).filter((value): value is PgTable => is(value, PgTable));

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const json = (response: Response): Promise<any> => response.json();

/** A node with a police officer: the answers of each test's node are its own (rate limits included). */
async function nodeWithOfficer() {
  const node = await createTestNode('IN-WB');
  const unit = await node.unit({ type: 'police_station' });
  return { node, officer: (await node.user('police_officer', unit.id)).token };
}

describe('the security headers of the node', () => {
  let node: TestNode;
  let officer: string;

  beforeAll(async () => {
    ({ node, officer } = await nodeWithOfficer());
  });
  afterAll(async () => {
    await node?.cleanup();
  });

  it('puts the security headers on the answer of every registered route, authorized or not', async () => {
    const routes = node.app.routes.filter((route) => route.method !== 'ALL');
    expect(routes.length).toBeGreaterThan(40);
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, (_, param: string) => `${param}_0123456789abcdefghijklmnop`);
      const unsafe = route.method !== 'GET' && route.method !== 'HEAD';
      for (const token of [undefined, officer]) {
        const response = await node.request(token, route.method, path, unsafe ? {} : undefined);
        const name = `${route.method} ${route.path} → ${response.status}`;
        for (const [header, pattern] of Object.entries(SECURITY_HEADERS)) {
          expect(response.headers.get(header) ?? '', `${name}: ${header}`).toMatch(pattern);
        }
      }
    }
    // Answers no route gives: unknown path, refused input.
    for (const response of [
      await node.request(undefined, 'GET', '/nowhere'),
      await node.request(undefined, 'GET', '/v1/public/notices?q=%00'),
    ]) {
      for (const [header, pattern] of Object.entries(SECURITY_HEADERS)) {
        expect(response.headers.get(header) ?? '').toMatch(pattern);
      }
    }
  });
});

describe('text the node refuses at its boundary', () => {
  let node: TestNode;
  let officer: string;

  beforeAll(async () => {
    ({ node, officer } = await nodeWithOfficer());
  });
  afterAll(async () => {
    await node?.cleanup();
  });

  async function footprint() {
    const rows: Record<string, number | undefined> = {};
    for (const table of TABLES) {
      rows[getTableName(table)] = (await node.services.db.select({ n: count() }).from(table))[0]?.n;
    }
    return rows;
  }

  async function expectRefused(response: Response, code = 'INPUT_ENCODING_INVALID') {
    expect(response.status).toBe(400);
    expect((await json(response)).error.code).toBe(code);
  }

  it('refuses NUL in the query of the public notice search and the case list, instead of failing in SQL', async () => {
    await expectRefused(await node.request(undefined, 'GET', '/v1/public/notices?q=%00'));
    await expectRefused(await node.request(undefined, 'GET', '/v1/public/notices?q=Ru%00pa'));
    await expectRefused(await node.request(officer, 'GET', '/v1/reports?q=Ru%00pa'));
    await expectRefused(await node.request(officer, 'GET', '/v1/reports?q=%ED%A0%80'));
    expect((await node.request(undefined, 'GET', '/v1/public/notices?q=Rupa')).status).toBe(200);
    expect((await node.request(officer, 'GET', '/v1/reports?q=Rupa')).status).toBe(200);
  });

  it('refuses NUL in a JSON body, as a value or a key at any depth, and stores nothing', async () => {
    const before = await footprint();
    const bodies = [
      { ...missingChild, child: { ...missingChild.child, name: 'Rupa\u0000 Mondal' } },
      { ...missingChild, child: { ...missingChild.child, 'na\u0000me': 'Rupa' } },
      {
        ...missingChild,
        missing: { gdNumber: 'GD 1/26', guardians: [{ name: 'Anil\u0000', relation: 'father', phones: [] }] },
      },
      { ...missingChild, child: { ...missingChild.child, name: 'Rupa \ud800' } },
    ];
    for (const body of bodies) await expectRefused(await node.request(officer, 'POST', '/v1/reports', body));
    await expectRefused(
      await node.request(undefined, 'POST', '/v1/public/reports/missing', { name: 'Ru\u0000pa' }),
    );
    expect(await footprint()).toEqual(before);
    expect((await node.request(officer, 'POST', '/v1/reports', missingChild)).status).toBe(201);
  });

  it('refuses NUL in a path parameter and in a header', async () => {
    const caseId = (await json(await node.request(officer, 'POST', '/v1/reports', missingChild))).report
      .caseId;
    await expectRefused(await node.request(officer, 'GET', `/v1/reports/${caseId}%00`));
    await expectRefused(await node.request(officer, 'GET', `/v1/reports/%00${caseId}`));
    // fetch refuses NUL in a header value itself; the other controls reach the app and are refused.
    const before = await footprint();
    await expectRefused(
      await node.request(
        officer,
        'PATCH',
        `/v1/reports/${caseId}`,
        { eventDate: '2026-09-13', reason: 'date corrected' },
        { 'if-match': '"1\u0001"' },
      ),
    );
    expect(await footprint()).toEqual(before);
  });

  it('refuses a document nested too deep before anything reads it', async () => {
    const levels = 100_000;
    const response = await node.app.request('/v1/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${officer}` },
      body: `{"kind":"missing","child":${'['.repeat(levels)}${']'.repeat(levels)}}`,
    });
    await expectRefused(response, 'DOCUMENT_TOO_DEEP');
  });
});
