// The hub's exchange guarantees over real mutual TLS, on PGlite and PostgreSQL: every envelope
// type, the federation policy (refusals with their codes, recorded, nothing stored), query
// fan-out by purpose, duplicates (retry vs. reported conflict), and expiry into dead letters the
// origin and administrators can read, with a notice the origin verifies against its anchor.
import {
  type Envelope,
  EnvelopeType,
  envelopeDigest,
  type NodePolicy,
  verifyDeadLetterNotice,
} from '@khoj/contracts';
import { toPublicJwk } from '@khoj/pki';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, envelopes, transparencyLeaves } from '../db/schema/index.ts';
import { sealedEnvelope } from '../testing/envelopes.ts';
import { startTrustHub, type TrustHub } from '../testing/trust-fixture.ts';
import { verifyTransparencyLog } from '../transparency/verify.ts';
import { readTrustAnchor } from '../trust/anchor.ts';
import { sweepExpired } from './dead-letters.ts';

const NODES = ['NP', 'BD', 'IN-WB', 'IN-BR'] as const;
type Client = ReturnType<TrustHub['mutual']>;

describe.each(['pglite', 'postgres'] as const)('hub exchange guarantees on %s', (database) => {
  let hub: TrustHub;
  let client: Record<(typeof NODES)[number], Client>;
  let admin: Client;
  let auditor: Client;
  const node = (id: string) => hub.fed.node(id);

  beforeAll(async () => {
    hub = await startTrustHub(database, { nodeIds: [...NODES] });
    client = Object.fromEntries(NODES.map((id) => [id, hub.mutual(hub.fed.node(id))])) as typeof client;
    admin = hub.admin('asha', 'admin');
    auditor = hub.admin('dev', 'auditor');
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const stored = (id: string) => hub.services.db.select().from(envelopes).where(eq(envelopes.id, id));
  const delivered = (id: string) =>
    hub.services.db.select().from(deliveries).where(eq(deliveries.envelopeId, id));
  const logged = (id: string) =>
    hub.services.db.select().from(transparencyLeaves).where(eq(transparencyLeaves.envelopeId, id));
  const setPolicy = async (nodeId: string, policy: NodePolicy) => {
    expect((await admin.put(`/v1/admin/nodes/${nodeId}/policy`, policy)).status).toBe(200);
  };
  const openPolicy = (nodeId: string): NodePolicy => ({
    acceptsPurposes: ['reunification', 'anti_trafficking'],
    allowsRecipients: NODES.filter((other) => other !== nodeId),
  });
  const resetPolicies = async () => {
    for (const id of NODES) await setPolicy(id, openPolicy(id));
  };
  const inboxIds = async (id: (typeof NODES)[number]) =>
    ((await client[id].get('/v1/inbox?limit=100')).body?.deliveries ?? []).map(
      (delivery: { envelope: Envelope }) => delivery.envelope.id,
    );
  const refusalsOf = async (envelopeId: string) =>
    ((await auditor.get('/v1/admin/envelope-refusals?limit=500')).body?.refusals ?? []).filter(
      (refusal: { envelopeId: string }) => refusal.envelopeId === envelopeId,
    );

  it('accepts every envelope type the federation speaks, each logged with its metadata', async () => {
    expect(EnvelopeType.options).toEqual([
      'case.summary',
      'case.retraction',
      'match.notice',
      'query.request',
      'query.hit',
      'detail.request',
      'detail.response',
    ]);
    for (const type of EnvelopeType.options) {
      const envelope = await sealedEnvelope(node('NP'), [node('BD')], { type });
      const response = await client.NP.post('/v1/envelopes', envelope);
      expect(response.status, type).toBe(201);
      const [entry] = await logged(envelope.id);
      expect(entry).toMatchObject({
        type,
        origin: 'NP',
        recipients: ['BD'],
        purposes: ['reunification'],
        digest: envelopeDigest(envelope),
        acceptedAt: new Date(response.body?.receivedAt),
      });
    }
  });

  it('refuses a type outside the contract, and patterns outside query.request, with VALIDATION_FAILED', async () => {
    const envelope = await sealedEnvelope(node('NP'), [node('BD')]);
    const unknown = await client.NP.post('/v1/envelopes', { ...envelope, type: 'delivery.expired' });
    expect(unknown.status).toBe(400);
    expect(unknown.body?.error.code).toBe('VALIDATION_FAILED');
    const pattern = await sealedEnvelope(node('NP'), [node('IN-WB')], { recipients: ['IN-*'] });
    const refused = await client.NP.post('/v1/envelopes', pattern);
    expect(refused.status).toBe(400);
    expect(refused.body?.error.message).toMatch(/patterns are for query.request/);
  });

  it("refuses a recipient outside the sender's allowsRecipients with 403 RECIPIENT_NOT_ALLOWED, stores nothing, records it", async () => {
    await setPolicy('NP', { acceptsPurposes: ['reunification'], allowsRecipients: ['BD'] });
    try {
      const envelope = await sealedEnvelope(node('NP'), [node('BD'), node('IN-WB')]);
      const response = await client.NP.post('/v1/envelopes', envelope);
      expect(response.status).toBe(403);
      expect(response.body?.error).toMatchObject({ code: 'RECIPIENT_NOT_ALLOWED' });
      expect(response.body?.error.message).toContain('IN-WB');
      expect(await stored(envelope.id)).toHaveLength(0);
      expect(await logged(envelope.id)).toHaveLength(0);
      expect(await refusalsOf(envelope.id)).toEqual([
        expect.objectContaining({
          sender: 'NP',
          type: 'case.summary',
          code: 'RECIPIENT_NOT_ALLOWED',
          requestId: expect.stringMatching(/^req_/),
        }),
      ]);
      // Allowed: BD alone.
      const allowed = await sealedEnvelope(node('NP'), [node('BD')]);
      expect((await client.NP.post('/v1/envelopes', allowed)).status).toBe(201);
      // A pattern in the policy covers the nodes it names.
      await setPolicy('NP', { acceptsPurposes: ['reunification'], allowsRecipients: ['IN-*'] });
      const toIndia = await sealedEnvelope(node('NP'), [node('IN-WB'), node('IN-BR')]);
      expect((await client.NP.post('/v1/envelopes', toIndia)).status).toBe(201);
    } finally {
      await resetPolicies();
    }
  });

  it("refuses a purpose a recipient's acceptsPurposes lacks with 403 PURPOSE_NOT_ACCEPTED, and records it", async () => {
    await setPolicy('BD', { acceptsPurposes: ['reunification'], allowsRecipients: ['NP'] });
    try {
      const envelope = await sealedEnvelope(node('NP'), [node('BD')], { purposes: ['anti_trafficking'] });
      const response = await client.NP.post('/v1/envelopes', envelope);
      expect(response.status).toBe(403);
      expect(response.body?.error).toMatchObject({ code: 'PURPOSE_NOT_ACCEPTED' });
      expect(response.body?.error.message).toBe('BD does not accept anti_trafficking');
      expect(await stored(envelope.id)).toHaveLength(0);
      expect((await refusalsOf(envelope.id))[0]).toMatchObject({ code: 'PURPOSE_NOT_ACCEPTED' });
      // Answers go back to whoever asked: only the sender's policy applies to them.
      const hit = await sealedEnvelope(node('NP'), [node('BD')], {
        type: 'query.hit',
        purposes: ['anti_trafficking'],
      });
      expect((await client.NP.post('/v1/envelopes', hit)).status).toBe(201);
    } finally {
      await resetPolicies();
    }
  });

  it('never refuses a retraction by policy: it must reach every node that received the summary', async () => {
    const subject = `case_${crypto.randomUUID().replaceAll('-', '')}`;
    const summary = await sealedEnvelope(node('NP'), [node('IN-WB')], { subject });
    expect((await client.NP.post('/v1/envelopes', summary)).status).toBe(201);
    await setPolicy('NP', { acceptsPurposes: [], allowsRecipients: [] });
    await setPolicy('IN-WB', { acceptsPurposes: [], allowsRecipients: [] });
    try {
      const retraction = await sealedEnvelope(node('NP'), [node('IN-WB')], {
        subject,
        type: 'case.retraction',
      });
      expect((await client.NP.post('/v1/envelopes', retraction)).status).toBe(201);
      const another = await sealedEnvelope(node('NP'), [node('IN-WB')]);
      expect((await client.NP.post('/v1/envelopes', another)).body?.error.code).toBe('RECIPIENT_NOT_ALLOWED');
    } finally {
      await resetPolicies();
    }
  });

  it('fans a query for `*` out to every member whose policy accepts its purpose, and only to them', async () => {
    await setPolicy('BD', { acceptsPurposes: ['reunification'], allowsRecipients: ['NP'] });
    try {
      const all = [node('BD'), node('IN-WB'), node('IN-BR')];
      const query = await sealedEnvelope(node('NP'), all, {
        type: 'query.request',
        recipients: ['*'],
        purposes: ['anti_trafficking'],
      });
      const response = await client.NP.post('/v1/envelopes', query);
      expect(response.status).toBe(201);
      expect((await delivered(query.id)).map((row) => row.recipient).sort()).toEqual(['IN-BR', 'IN-WB']);
      expect((await logged(query.id))[0]?.recipients).toEqual(['IN-BR', 'IN-WB']);
      expect(await inboxIds('IN-WB')).toContain(query.id);
      expect(await inboxIds('BD')).not.toContain(query.id);
      // The recipient sees the envelope exactly as signed: recipients ['*'].
      const inbox = (await client['IN-BR'].get('/v1/inbox?limit=100')).body?.deliveries;
      expect(inbox.find((d: { envelope: Envelope }) => d.envelope.id === query.id)?.envelope).toEqual(query);

      // A pattern narrows the fan-out; explicit ids beside it are checked strictly.
      const india = await sealedEnvelope(node('NP'), all, {
        type: 'query.request',
        recipients: ['IN-*'],
        purposes: ['anti_trafficking'],
      });
      expect((await client.NP.post('/v1/envelopes', india)).status).toBe(201);
      expect((await delivered(india.id)).map((row) => row.recipient).sort()).toEqual(['IN-BR', 'IN-WB']);
      const strict = await sealedEnvelope(node('NP'), all, {
        type: 'query.request',
        recipients: ['BD', 'IN-*'],
        purposes: ['anti_trafficking'],
      });
      expect((await client.NP.post('/v1/envelopes', strict)).body?.error.code).toBe('PURPOSE_NOT_ACCEPTED');

      // Nobody matching accepts the purpose: refused, nothing stored.
      const nobody = await sealedEnvelope(node('NP'), [node('BD')], {
        type: 'query.request',
        recipients: ['BD'],
        purposes: ['anti_trafficking'],
      });
      expect((await client.NP.post('/v1/envelopes', nobody)).body?.error.code).toBe('PURPOSE_NOT_ACCEPTED');
      const none = await sealedEnvelope(node('NP'), [node('BD')], {
        type: 'query.request',
        recipients: ['LK-*'],
        purposes: ['anti_trafficking'],
      });
      expect((await client.NP.post('/v1/envelopes', none)).body?.error.code).toBe('RECIPIENT_UNKNOWN');
    } finally {
      await resetPolicies();
    }
  });

  it('answers a retry with 200 and the same receipt, even after the policy changed, with one log entry', async () => {
    const envelope = await sealedEnvelope(node('NP'), [node('BD')]);
    const first = await client.NP.post('/v1/envelopes', envelope);
    expect(first.status).toBe(201);
    await setPolicy('NP', { acceptsPurposes: ['reunification'], allowsRecipients: ['IN-WB'] });
    try {
      const retry = await client.NP.post('/v1/envelopes', envelope);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
    } finally {
      await resetPolicies();
    }
    expect(await logged(envelope.id)).toHaveLength(1);
    expect(await delivered(envelope.id)).toHaveLength(1);
  });

  it('refuses different content under a known id with 409 and reports it to administrators', async () => {
    const subject = `case_${crypto.randomUUID().replaceAll('-', '')}`;
    const first = await sealedEnvelope(node('NP'), [node('BD')], { subject, content: 'first' });
    const second = await sealedEnvelope(node('NP'), [node('BD')], { subject, content: 'second' });
    expect(second.id).toBe(first.id);
    expect((await client.NP.post('/v1/envelopes', first)).status).toBe(201);
    const conflict = await client.NP.post('/v1/envelopes', second);
    expect(conflict.status).toBe(409);
    expect(conflict.body?.error.code).toBe('ENVELOPE_CONFLICT');
    const { body } = await auditor.get('/v1/admin/envelope-conflicts?origin=NP&limit=500');
    expect(body?.conflicts.filter((c: { envelopeId: string }) => c.envelopeId === first.id)).toEqual([
      expect.objectContaining({
        origin: 'NP',
        storedDigest: envelopeDigest(first),
        offeredDigest: envelopeDigest(second),
        requestId: conflict.body?.error.requestId,
      }),
    ]);
    expect((await stored(first.id))[0]?.digest).toBe(envelopeDigest(first));
    expect(await logged(first.id)).toHaveLength(1);
    // Concurrent duplicates: one stored, the others retries.
    const racing = await sealedEnvelope(node('NP'), [node('BD')]);
    const answers = await Promise.all([1, 2, 3, 4].map(() => client.NP.post('/v1/envelopes', racing)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 201]);
    expect(await logged(racing.id)).toHaveLength(1);
  });

  it('keeps the exchange reports for administrators only', async () => {
    for (const path of [
      '/v1/admin/envelope-conflicts',
      '/v1/admin/envelope-refusals',
      '/v1/admin/dead-letters',
    ]) {
      const asNode = await client.NP.get(path);
      expect(asNode.status, path).toBe(403);
      expect(asNode.body?.error.code).toBe('ADMIN_CERT_REQUIRED');
      expect((await auditor.get(path)).status).toBe(200);
    }
    expect((await auditor.get('/v1/dead-letters')).body?.error.code).toBe('NODE_NOT_REGISTERED');
  });

  it('refuses an envelope already expired with 400 ENVELOPE_EXPIRED', async () => {
    const createdAt = new Date(Date.now() - 3_600_000);
    const envelope = await sealedEnvelope(node('NP'), [node('BD')], {
      createdAt,
      expiresAt: new Date(createdAt.getTime() + 60_000),
    });
    const response = await client.NP.post('/v1/envelopes', envelope);
    expect(response.status).toBe(400);
    expect(response.body?.error.code).toBe('ENVELOPE_EXPIRED');
    expect(await stored(envelope.id)).toHaveLength(0);
  });

  it('drops what is undelivered at expiry into dead letters, tells the origin with a signed notice', async () => {
    const now = new Date();
    const envelope = await sealedEnvelope(node('IN-BR'), [node('BD'), node('IN-WB')], {
      createdAt: now,
      expiresAt: new Date(now.getTime() + 60_000),
    });
    expect((await client['IN-BR'].post('/v1/envelopes', envelope)).status).toBe(201);
    expect((await client['IN-WB'].post('/v1/inbox/ack', { envelopeIds: [envelope.id] })).body).toEqual({
      acknowledged: 1,
    });
    const later = new Date(now.getTime() + 120_000);
    hub.setNow(later);
    try {
      // Past expiresAt the inbox no longer serves it, even before the sweep.
      expect(await inboxIds('BD')).not.toContain(envelope.id);
      await sweepExpired(hub.services, later);
      await sweepExpired(hub.services, later);
    } finally {
      hub.setNow(undefined);
    }
    expect((await delivered(envelope.id)).map((row) => row.recipient)).toEqual(['IN-WB']);

    const own = (await client['IN-BR'].get('/v1/dead-letters')).body?.deadLetters;
    expect(own).toEqual([
      expect.objectContaining({
        envelopeId: envelope.id,
        type: 'case.summary',
        origin: 'IN-BR',
        undeliveredTo: ['BD'],
        expiresAt: envelope.expiresAt,
        droppedAt: later.toISOString(),
      }),
    ]);
    const anchor = await readTrustAnchor(hub.services.paths.anchor);
    expect(verifyDeadLetterNotice(own[0], anchor.configSigningKey)).toMatchObject({
      envelopeId: envelope.id,
      envelopeDigest: envelopeDigest(envelope),
      undeliveredTo: ['BD'],
    });
    expect(() =>
      verifyDeadLetterNotice({ ...own[0], undeliveredTo: ['IN-WB'] }, anchor.configSigningKey),
    ).toThrow(/differs from the listing/);
    const hubReceiptKey = {
      ...toPublicJwk(hub.services.signingKey.privateJwk),
      kid: hub.services.signingKey.kid,
    };
    expect(() => verifyDeadLetterNotice(own[0], hubReceiptKey)).toThrow(/signed by key/);
    expect((await client['IN-BR'].get(`/v1/dead-letters?after=${own[0].seq}`)).body?.deadLetters).toEqual([]);
    // Only the origin's own; administrators see all.
    const others = (await client.BD.get('/v1/dead-letters')).body?.deadLetters;
    expect(others.map((d: { envelopeId: string }) => d.envelopeId)).not.toContain(envelope.id);
    const all = (await auditor.get('/v1/admin/dead-letters?origin=IN-BR')).body?.deadLetters;
    expect(all.map((d: { envelopeId: string }) => d.envelopeId)).toEqual([envelope.id]);
  });

  it('stores concurrent submissions from several nodes in one contiguous, verifiable log', async () => {
    const senders = ['NP', 'BD', 'IN-WB', 'IN-BR'] as const;
    const batch = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const from = senders[i % 4] as (typeof senders)[number];
        const to = senders[(i + 1) % 4] as (typeof senders)[number];
        return sealedEnvelope(node(from), [node(to)]).then((envelope) => ({ from, envelope }));
      }),
    );
    const answers = await Promise.all(
      batch.map(({ from, envelope }) => client[from].post('/v1/envelopes', envelope)),
    );
    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    const anchor = await readTrustAnchor(hub.services.paths.anchor);
    const check = await verifyTransparencyLog(hub.services.db, anchor.configSigningKey);
    expect(check).toMatchObject({ ok: true });
  });

  it('answers a burst with duplicates each on its own: one 201, retries 200, a conflict 409, once logged', async () => {
    const twice = await sealedEnvelope(node('NP'), [node('BD')]);
    const others = await Promise.all(
      Array.from({ length: 8 }, () => sealedEnvelope(node('NP'), [node('BD')])),
    );
    const subject = `case_${crypto.randomUUID().replaceAll('-', '')}`;
    const known = await sealedEnvelope(node('NP'), [node('BD')], { subject });
    expect((await client.NP.post('/v1/envelopes', known)).status).toBe(201);
    // Same subject and version, so the same id, with other content, validly signed.
    const conflicting = await sealedEnvelope(node('NP'), [node('IN-WB')], { subject });

    const [first, second, third, conflict, ...rest] = await Promise.all([
      client.NP.post('/v1/envelopes', twice),
      client.NP.post('/v1/envelopes', twice),
      client.NP.post('/v1/envelopes', twice),
      client.NP.post('/v1/envelopes', conflicting),
      ...others.map((envelope) => client.NP.post('/v1/envelopes', envelope)),
    ]);

    expect([first, second, third].map((answer) => answer?.status).sort()).toEqual([200, 200, 201]);
    // The same receipt for all three (the retries read it back from the database).
    expect(second?.body).toEqual(first?.body);
    expect(third?.body).toEqual(first?.body);
    expect(conflict?.status).toBe(409);
    expect(rest.map((answer) => answer.status)).toEqual(others.map(() => 201));
    expect(await stored(twice.id)).toHaveLength(1);
    expect(await logged(twice.id)).toHaveLength(1);
    expect(await delivered(twice.id)).toHaveLength(1);
    expect((await stored(known.id))[0]?.digest).toBe(envelopeDigest(known));
    const anchor = await readTrustAnchor(hub.services.paths.anchor);
    expect(await verifyTransparencyLog(hub.services.db, anchor.configSigningKey)).toMatchObject({ ok: true });
  });
});
