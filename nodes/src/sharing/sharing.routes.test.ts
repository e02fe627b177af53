// The sharing policy and case consents through the node API, on PGlite and PostgreSQL: officers
// read the policy and administrators replace entries (audited), nobody else; a consent is granted
// or narrowed within the policy and refused with CONSENT_EXCEEDS_POLICY (nothing stored) when it
// is wider; the sealed summary carries exactly its tier's fields; withdrawing, narrowing away,
// reuniting, closing and expiry each send a retraction to the nodes holding a summary, after the
// summaries in the outbox.
import { randomUUID } from 'node:crypto';
import type { CaseRetraction, Envelope, ReportInput } from '@khoj/contracts';
import { CaseRetraction as CaseRetractionSchema } from '@khoj/contracts';
import { toPublicJwk } from '@khoj/pki';
import { and, asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { auditLog, cases, federationMembers, outbox } from '../db/schema/index.ts';
import { openCaseSummary, openEnvelope } from '../exchange/seal.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { decryptionKeys } from '../trust/own-keys.ts';
import { retractExpiredConsents } from './retract.ts';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

const missingChild = (consent: Partial<NonNullable<ReportInput['consent']>> = {}): ReportInput => ({
  kind: 'missing',
  child: {
    name: 'Sita Tamang',
    aliases: ['Kanchhi'],
    sex: 'female',
    age: { years: 12 },
    languages: ['ne'],
    identifyingMarks: ['mole on left cheek'],
    heightCm: 140,
  },
  place: { country: 'IN', state: 'WB', district: 'Nadia', description: 'near the bus stand' },
  eventDate: '2026-11-20',
  missing: { guardians: [{ name: 'Mina Tamang', relation: 'mother', phones: ['+977 9800000000'] }] },
  consent: {
    purposes: ['reunification'],
    recipients: ['IN-*', 'BD', 'NP'],
    fields: 'standard',
    legalBasis: 'guardian_consent',
    expiresAt: inDays(300),
    grantedBy: 'SI, Ranaghat PS',
    ...consent,
  },
});

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const body = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe.each(['pglite', 'postgres'] as const)('sharing policy and consents on %s', (database) => {
  let node: TestNode;
  let other: TestNode;
  let databaseUrl: string | undefined;
  let police: string;
  let stationId: string;
  let admin: string;
  let cwc: string;
  let otherAdmin: string;

  beforeAll(async () => {
    databaseUrl =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`)
        : undefined;
    node = await createTestNode('IN-WB', databaseUrl);
    // NP is a real test node: its key opens what IN-WB seals for it.
    other = await createTestNode('NP');
    await node.services.db.insert(federationMembers).values({
      nodeId: 'NP',
      displayName: 'NP',
      signingKeys: [],
      encryptionKeys: [
        {
          ...toPublicJwk(other.services.keys.encryption.privateJwk),
          kid: other.services.keys.encryption.kid,
        },
      ],
    });
    await node.addMembers('IN-BR', 'BD');
    const station = await node.unit({ type: 'police_station', name: 'Ranaghat PS' });
    stationId = station.id;
    police = (await node.user('police_officer', station.id)).token;
    const office = await node.unit({ type: 'scpu' });
    admin = (await node.user('node_admin', office.id)).token;
    cwc = (await node.user('cwc_member', (await node.unit({ type: 'cwc' })).id)).token;
    otherAdmin = (await other.user('node_admin', (await other.unit({ type: 'scpu' })).id)).token;
  });
  afterAll(async () => {
    await node?.cleanup();
    await other?.cleanup();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
  });

  const create = (report: unknown) => node.request(police, 'POST', '/v1/reports', report);
  const caseCount = async () => (await node.services.db.select({ n: count() }).from(cases))[0]?.n;
  const outboxCount = async () => (await node.services.db.select({ n: count() }).from(outbox))[0]?.n;
  const outboxOf = (caseId: string) =>
    node.services.db.select().from(outbox).where(eq(outbox.subject, caseId)).orderBy(asc(outbox.seq));
  const openForNp = (envelope: Envelope) =>
    openCaseSummary(envelope, {
      own: decryptionKeys(other.services.keys),
      originSigningKeys: [
        { ...toPublicJwk(node.services.keys.signing.privateJwk), kid: node.services.keys.signing.kid },
      ],
    });
  const openRetraction = (envelope: Envelope): Promise<CaseRetraction> =>
    openEnvelope(
      envelope,
      {
        own: decryptionKeys(other.services.keys),
        originSigningKeys: [
          { ...toPublicJwk(node.services.keys.signing.privateJwk), kid: node.services.keys.signing.kid },
        ],
      },
      CaseRetractionSchema,
    );

  it('shows the seeded policy to officers and administrators, one entry per kind of case', async () => {
    const policy = await body(node.request(police, 'GET', '/v1/sharing-policy'));
    expect(policy.nodeId).toBe('IN-WB');
    expect(policy.entries.map((entry: { category: string }) => entry.category).sort()).toEqual([
      'found',
      'in_care',
      'missing',
      'rescued_from_trafficking',
    ]);
    const byKind = Object.fromEntries(
      policy.entries.map((entry: { category: string }) => [entry.category, entry]),
    );
    expect(byKind.missing).toMatchObject({
      purposes: ['reunification'],
      recipients: ['IN-*', 'BD', 'NP'],
      fields: 'standard',
    });
    expect(byKind.rescued_from_trafficking).toMatchObject({
      purposes: ['anti_trafficking'],
      fields: 'minimal',
    });
    expect((await node.request(admin, 'GET', '/v1/sharing-policy')).status).toBe(200);
    expect((await node.request(undefined, 'GET', '/v1/sharing-policy')).status).toBe(401);
  });

  it('lets only this node administrators replace an entry, with a reason, audited', async () => {
    const rule = {
      purposes: ['reunification'],
      recipients: ['IN-*', 'BD', 'NP'],
      fields: 'standard',
      legalBasis: 'statute',
      lifetimeDays: 730,
      reason: 'state order 12/2026',
    };
    for (const [token, status, code] of [
      [police, 403, 'FORBIDDEN'],
      [cwc, 403, 'FORBIDDEN'],
      // Another node's administrator: unknown here.
      [otherAdmin, 401, 'UNAUTHENTICATED'],
      [undefined, 401, 'UNAUTHENTICATED'],
    ] as const) {
      const response = await node.request(token, 'PUT', '/v1/sharing-policy/found', rule);
      expect(response.status).toBe(status);
      expect((await body(response)).error.code).toBe(code);
    }
    const invalid = await node.request(admin, 'PUT', '/v1/sharing-policy/found', {
      ...rule,
      fields: 'everything',
    });
    expect(invalid.status).toBe(400);
    expect((await body(invalid)).error.message).toContain('fields');
    const unknownKind = await node.request(admin, 'PUT', '/v1/sharing-policy/adults', rule);
    expect(unknownKind.status).toBe(400);
    const { reason: _, ...withoutReason } = rule;
    expect((await node.request(admin, 'PUT', '/v1/sharing-policy/found', withoutReason)).status).toBe(400);

    const response = await node.request(admin, 'PUT', '/v1/sharing-policy/found', rule);
    expect(response.status).toBe(200);
    expect(await body(response)).toMatchObject({
      category: 'found',
      legalBasis: 'statute',
      lifetimeDays: 730,
    });
    const policy = await body(node.request(police, 'GET', '/v1/sharing-policy'));
    expect(policy.entries.find((entry: { category: string }) => entry.category === 'found')).toMatchObject({
      lifetimeDays: 730,
    });
    const [entry] = await node.services.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'sharing.policy.update'), eq(auditLog.recordId, 'found')));
    expect(entry?.reason).toContain('state order 12/2026');
    expect(entry?.reason).toContain('"lifetimeDays":730');
  });

  it('refuses a consent wider than the policy with 422 CONSENT_EXCEEDS_POLICY naming each excess, storing nothing', async () => {
    const before = { cases: await caseCount(), outbox: await outboxCount() };
    for (const [consent, named] of [
      [{ purposes: ['reunification', 'anti_trafficking'] }, 'purpose anti_trafficking'],
      [{ recipients: ['IN-*', 'LK'] }, 'recipient LK'],
      [{ recipients: ['IN-*', 'BT'] }, 'recipient BT'],
      [{ fields: 'full' }, 'fields full'],
      [{ expiresAt: inDays(4000) }, 'expiresAt'],
    ] as const) {
      const response = await create(missingChild(consent as never));
      expect(response.status).toBe(422);
      const { error } = await body(response);
      expect(error.code).toBe('CONSENT_EXCEEDS_POLICY');
      expect(error.message).toContain(named);
    }
    // A rescued child: the stricter kind's policy (minimal, anti-trafficking) governs.
    const rescued = await create({
      ...missingChild({ purposes: ['anti_trafficking'], fields: 'standard' }),
      kind: 'found',
      missing: undefined,
      found: { foundBy: 'ahtu', rescuedFromTrafficking: true },
    });
    expect(rescued.status).toBe(422);
    expect((await body(rescued)).error.message).toMatch(/rescued_from_trafficking: fields standard/);
    expect({ cases: await caseCount(), outbox: await outboxCount() }).toEqual(before);
  });

  it('accepts a narrower consent and seals exactly the tier’s fields', async () => {
    const standard = await body(create(missingChild({ recipients: ['NP'] })));
    expect(standard.publication.recipients).toEqual(['NP']);
    const [row] = await outboxOf(standard.report.caseId);
    const opened = await openForNp(row?.envelope as Envelope);
    expect(Object.keys(opened.summary.child).sort()).toEqual([
      'age',
      'aliases',
      'heightCm',
      'identifyingMarks',
      'languages',
      'name',
      'sex',
    ]);
    expect(opened.summary.place).toEqual(missingChild().place);
    expect(opened.summary).not.toHaveProperty('guardians');

    const minimal = await body(
      create(missingChild({ recipients: ['NP'], fields: 'minimal', expiresAt: inDays(30) })),
    );
    const [minimalRow] = await outboxOf(minimal.report.caseId);
    const small = await openForNp(minimalRow?.envelope as Envelope);
    expect(Object.keys(small.summary.child).sort()).toEqual(['age', 'phoneticNames', 'sex']);
    expect(small.summary.child.age).toEqual({ estimateMin: 11, estimateMax: 13 });
    expect(Object.keys(small.summary.place).sort()).toEqual(['country', 'district', 'state']);
    expect(JSON.stringify(small)).not.toMatch(/Sita|Tamang|Kanchhi|mole|Mina/);
    expect(small.scope.fields).toBe('minimal');
  });

  it('narrows, with a reason, through the consent route, retracting from the nodes left out', async () => {
    const created = await body(create(missingChild()));
    const caseId = created.report.caseId;
    expect(created.publication.recipients.sort()).toEqual(['BD', 'IN-BR', 'NP']);
    const put = (
      consent: unknown,
      headers: Record<string, string> = { 'if-match': '"1"' },
      reason?: string,
    ) =>
      node.request(
        police,
        'PUT',
        `/v1/reports/${caseId}/consent`,
        { consent, ...(reason ? { reason } : {}) },
        headers,
      );
    const narrower = { ...missingChild().consent, recipients: ['NP'], fields: 'minimal' };
    expect((await put(narrower)).status).toBe(400); // no reason
    expect((await put(narrower, {}, 'mother asked')).status).toBe(428);
    const wider = await put({ ...narrower, purposes: ['anti_trafficking'] }, undefined, 'wider');
    expect(wider.status).toBe(422);
    expect((await body(wider)).error.code).toBe('CONSENT_EXCEEDS_POLICY');
    expect((await outboxOf(caseId)).length).toBe(1);

    const narrowed = await put(narrower, undefined, 'mother asked to share with Nepal only');
    expect(narrowed.status).toBe(200);
    const result = await body(narrowed);
    expect(result.report.version).toBe(2);
    expect(result.publication.recipients).toEqual(['NP']);
    expect(result.retractedFrom.sort()).toEqual(['BD', 'IN-BR']);
    const history = await outboxOf(caseId);
    expect(history.map((row) => row.envelope.type)).toEqual([
      'case.summary',
      'case.summary',
      'case.retraction',
    ]);
    expect(history[2]?.envelope.recipients.sort()).toEqual(['BD', 'IN-BR']);

    // Withdrawn: the one node still holding a summary is told.
    const withdrawn = await body(put(null, { 'if-match': '"2"' }, 'consent withdrawn by the mother'));
    expect(withdrawn.report.consent).toBeNull();
    expect(withdrawn.publication).toBeNull();
    expect(withdrawn.retractedFrom).toEqual(['NP']);
    const last = (await outboxOf(caseId)).at(-1);
    expect(last?.envelope.type).toBe('case.retraction');
    expect(await openRetraction(last?.envelope as Envelope)).toMatchObject({
      caseId,
      origin: 'IN-WB',
      version: 3,
      reason: 'consent_withdrawn',
    });
    const audited = await node.services.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.recordId, caseId), eq(auditLog.action, 'case.retraction.sent')));
    expect(audited).toHaveLength(2);
  });

  it('needs a reason to change a consent through PATCH, and retracts from those left out', async () => {
    const created = await body(create(missingChild({ recipients: ['NP', 'BD'] })));
    const caseId = created.report.caseId;
    const patch = (change: unknown) =>
      node.request(police, 'PATCH', `/v1/reports/${caseId}`, change, { 'if-match': '"1"' });
    const consent = { ...missingChild().consent, recipients: ['BD'] };
    const unexplained = await patch({ consent });
    expect(unexplained.status).toBe(400);
    expect((await body(unexplained)).error.message).toContain('reason');
    const patched = await body(patch({ consent, reason: 'guardian asked' }));
    expect(patched.publication.recipients).toEqual(['BD']);
    const history = await outboxOf(caseId);
    expect(history.map((row) => row.envelope.type)).toEqual([
      'case.summary',
      'case.summary',
      'case.retraction',
    ]);
    expect(history[2]?.envelope.recipients).toEqual(['NP']);
  });

  it('retracts a reunited or closed case from every node that received it, once', async () => {
    const created = await body(create(missingChild({ recipients: ['NP', 'BD'] })));
    const caseId = created.report.caseId;
    const move = (to: string, version: number, reason?: string) =>
      node.request(
        police,
        'POST',
        `/v1/reports/${caseId}/transitions`,
        { to, ...(reason ? { reason } : {}) },
        { 'if-match': `"${version}"` },
      );
    expect((await move('matched', 1)).status).toBe(200);
    expect((await outboxOf(caseId)).map((row) => row.envelope.type)).toEqual(['case.summary']);
    expect((await move('reunited', 2)).status).toBe(200);
    const history = await outboxOf(caseId);
    expect(history.map((row) => row.envelope.type)).toEqual(['case.summary', 'case.retraction']);
    expect(history[1]?.envelope.recipients.sort()).toEqual(['BD', 'NP']);
    expect((await openRetraction(history[1]?.envelope as Envelope)).reason).toBe('reunited');
    // Closing afterwards tells nobody again; an update of a closed case publishes nothing.
    expect((await move('closed', 3, 'file closed')).status).toBe(200);
    expect((await outboxOf(caseId)).length).toBe(2);
  });

  it('retracts when the scope expires (the periodic check), once', async () => {
    const created = await body(create(missingChild({ recipients: ['NP'], expiresAt: inDays(10) })));
    const caseId = created.report.caseId;
    expect(await retractExpiredConsents(node.services)).not.toContain(caseId);
    // An officer whose token outlives the jump in time.
    const { token } = await node.user('police_officer', stationId, {
      expiresAt: new Date(Date.now() + 30 * DAY),
    });
    const realClock = node.services.clock;
    node.services.clock = () => new Date(Date.now() + 11 * DAY);
    try {
      const sent = await retractExpiredConsents(node.services);
      const history = await outboxOf(caseId);
      expect(history.map((row) => row.envelope.type)).toEqual(['case.summary', 'case.retraction']);
      expect(sent).toContain(history[1]?.envelopeId);
      expect((await openRetraction(history[1]?.envelope as Envelope)).reason).toBe('scope_expired');
      expect(await retractExpiredConsents(node.services)).not.toContain(history[1]?.envelopeId);
      expect((await outboxOf(caseId)).length).toBe(2);
      // An expired scope publishes nothing more.
      const patched = await body(
        node.request(
          token,
          'PATCH',
          `/v1/reports/${caseId}`,
          { eventDate: '2026-11-19' },
          { 'if-match': '"1"' },
        ),
      );
      expect(patched, JSON.stringify(patched)).toHaveProperty('publication', null);
    } finally {
      node.services.clock = realClock;
    }
  });
});
