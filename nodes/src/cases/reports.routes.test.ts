// The node's report routes in-process (app.request), on PGlite and on PostgreSQL: a report whose
// consent allows sharing is stored together with its sealed envelope in the outbox, or not at all.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ReportInput } from '@khoj/contracts';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { createNodeApp, nodeOpenApiFromApp } from '../app.ts';
import { cases, federationMembers, outbox } from '../db/schema/index.ts';
import { createTestNode } from '../testing/test-node.ts';

const missingChild: ReportInput = {
  kind: 'missing',
  child: { name: 'Montu Debnath', sex: 'male', age: { years: 9 }, languages: ['bn'] },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-10-30',
  consent: {
    purposes: ['reunification'],
    recipients: ['IN-*', 'BD'],
    fields: 'standard',
    legalBasis: 'guardian_consent',
    expiresAt: '2027-10-30T00:00:00.000Z',
    grantedBy: 'SI, Ranaghat PS',
  },
};

describe.each(['pglite', 'postgres'] as const)('node reports on %s', (database) => {
  let node: Awaited<ReturnType<typeof createTestNode>>;
  let app: ReturnType<typeof createNodeApp>;
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    databaseUrl =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`)
        : undefined;
    node = await createTestNode('IN-WB', databaseUrl);
    await node.addMembers('IN-BR', 'BD', 'NP');
    app = createNodeApp(node.services);
  });
  afterAll(async () => {
    await node?.cleanup();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
  });

  const post = (body: unknown) =>
    app.request('/v1/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
  const body = async (response: Response | Promise<Response>): Promise<any> => (await response).json();
  const caseCount = async () => (await node.services.db.select({ n: count() }).from(cases))[0]?.n;

  it('stores a shared report and its envelope for the consented members in one go', async () => {
    const response = await post(missingChild);
    expect(response.status).toBe(201);
    const created = await body(response);
    expect(created.report).toMatchObject({ kind: 'missing', version: 1, child: missingChild.child });
    expect(created.report.consent.grantedAt).toMatch(/^\d{4}-/);
    expect(created.publication.recipients.sort()).toEqual(['BD', 'IN-BR']);
    const [row] = await node.services.db
      .select()
      .from(outbox)
      .where(eq(outbox.envelopeId, created.publication.envelopeId));
    expect(row).toMatchObject({ status: 'pending', subject: created.report.caseId });
    expect(row?.envelope.origin).toBe('IN-WB');
    expect(JSON.stringify(row?.envelope)).not.toContain('Montu');
  });

  it('keeps a report without consent, or whose recipients name no member, at this node', async () => {
    const { consent: _, ...unshared } = missingChild;
    const local = await body(post(unshared));
    expect(local.publication).toBeNull();
    const nobody = await body(
      post({ ...missingChild, consent: { ...missingChild.consent, recipients: ['LK'] } }),
    );
    expect(nobody.publication).toBeNull();
    const subjects = (await node.services.db.select().from(outbox)).map((row) => row.subject);
    expect(subjects).not.toContain(local.report.caseId);
    expect(subjects).not.toContain(nobody.report.caseId);
  });

  it('refuses invalid reports with 400 VALIDATION_FAILED and stores nothing', async () => {
    const before = await caseCount();
    for (const bad of [
      { ...missingChild, child: { ...missingChild.child, age: { estimateMin: 12, estimateMax: 9 } } },
      { ...missingChild, child: { name: 'x' } },
      { ...missingChild, consent: { ...missingChild.consent, recipients: ['india'] } },
      { ...missingChild, eventDate: 'yesterday' },
    ]) {
      const response = await post(bad);
      expect(response.status).toBe(400);
      expect((await body(response)).error.code).toBe('VALIDATION_FAILED');
    }
    expect(await caseCount()).toBe(before);
  });

  it('stores no case when its envelope cannot be sealed (same transaction), and says no more than "internal"', async () => {
    const before = await caseCount();
    await node.services.db
      .update(federationMembers)
      .set({ encryptionKeys: [{ kty: 'OKP', crv: 'X25519', x: 'broken', kid: 'enc_broken' }] })
      .where(eq(federationMembers.nodeId, 'NP'));
    const response = await post({
      ...missingChild,
      consent: { ...missingChild.consent, recipients: ['NP'] },
    });
    expect(response.status).toBe(500);
    expect((await body(response)).error).toMatchObject({ code: 'INTERNAL', message: 'internal error' });
    expect(await caseCount()).toBe(before);
  });

  it('reads a report back, and answers 404 CASE_NOT_FOUND and 400 for unknown and malformed ids', async () => {
    const created = await body(post(missingChild));
    const read = await app.request(`/v1/reports/${created.report.caseId}`);
    expect(await body(read)).toEqual(created.report);
    const missing = await app.request('/v1/reports/case_00000000000000000000000000');
    expect(missing.status).toBe(404);
    expect((await body(missing)).error.code).toBe('CASE_NOT_FOUND');
    expect((await app.request('/v1/reports/42')).status).toBe(400);
  });

  it('serves exactly the routes of the committed OpenAPI document', async () => {
    const committed = JSON.parse(
      await readFile(new URL('../../../contracts/openapi/node.json', import.meta.url), 'utf8'),
    );
    expect(nodeOpenApiFromApp(app)).toEqual(committed);
  });
});
