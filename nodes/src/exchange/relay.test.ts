// The relay against a hub that does not answer (nothing listens on the node's hub address): the
// outbox row stays pending with the error and a later attempt time, and later envelopes about
// the same case wait behind it. Against a scripted hub: due rows go in one batch request, each
// marked by its own result, or one by one from a hub without the batch route; the jobs a BullMQ
// worker holds at once go in one batch request too.
import { type Envelope, envelopeIdFor, type ReportInput } from '@khoj/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../db/schema/index.ts';
import { createTestNode } from '../testing/test-node.ts';
import { scriptedHub } from '../trust/test-support.ts';
import { dueEnvelopes, enqueueEnvelope } from './outbox.store.ts';
import { backoffMs, createRelayBatcher, relayDue } from './relay.ts';

describe('backoffMs', () => {
  it('doubles from about half a second up to five minutes, with jitter of ±25 %', () => {
    expect(backoffMs(0, () => 0.5)).toBe(500);
    expect(backoffMs(3, () => 0.5)).toBe(4_000);
    expect(backoffMs(30, () => 0.5)).toBe(300_000);
    expect(backoffMs(1, () => 0)).toBe(750);
    expect(backoffMs(1, () => 1)).toBe(1_250);
  });
});

describe('relaying while the hub is unreachable', () => {
  let node: Awaited<ReturnType<typeof createTestNode>>;
  beforeAll(async () => {
    node = await createTestNode('NP');
    await node.addMembers('BD');
  });
  afterAll(() => node?.cleanup());

  it('keeps the envelope pending with its error and a later attempt time, and the next version behind it', async () => {
    const report: ReportInput = {
      kind: 'missing',
      child: { name: 'Kanchhi', sex: 'female', age: { estimateMin: 10, estimateMax: 13 } },
      place: { country: 'NP' },
      eventDate: '2026-11-01',
      missing: { guardians: [] },
      consent: {
        purposes: ['reunification'],
        recipients: ['BD'],
        fields: 'standard',
        legalBasis: 'guardian_consent',
        expiresAt: '2027-11-01T00:00:00.000Z',
        grantedBy: 'officer',
      },
    };
    const station = await node.unit({ type: 'police_station', country: 'NP' });
    const { token } = await node.user('police_officer', station.id);
    const response = await node.request(token, 'POST', '/v1/reports', report);
    const { publication } = (await response.json()) as { publication: { envelopeId: string } };

    const before = Date.now();
    expect(await relayDue(node.services)).toBe(0);
    const [row] = await node.services.db
      .select()
      .from(outbox)
      .where(eq(outbox.envelopeId, publication.envelopeId));
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row?.lastError).toBeTruthy();
    expect(row?.nextAttemptAt.getTime()).toBeGreaterThan(before);
    expect(await dueEnvelopes(node.services.db, new Date(), 10)).toEqual([]);

    // A second version of the same case is due at once, but must not overtake the first.
    const second = {
      ...(row?.envelope as Envelope),
      id: envelopeIdFor('NP', 'case.summary', row?.subject ?? '', 2),
    };
    await enqueueEnvelope(node.services.db, second, row?.subject ?? '', undefined);
    expect(
      (await dueEnvelopes(node.services.db, new Date(Date.now() + 10_000), 10)).map((r) => r.envelopeId),
    ).toEqual([publication.envelopeId]);
  });
});

describe('relaying due envelopes in batches', () => {
  let node: Awaited<ReturnType<typeof createTestNode>>;
  beforeAll(async () => {
    node = await createTestNode('NP');
  });
  afterAll(() => node?.cleanup());

  /** Three envelopes about three cases, pending in the outbox (the scripted hub reads only ids). */
  async function enqueueThree(): Promise<Envelope[]> {
    const now = Date.now();
    const envelopes = ['a', 'b', 'c'].map(
      (name) =>
        ({
          id: envelopeIdFor('NP', 'case.summary', `case_${name}${now}`, 1),
          type: 'case.summary',
          origin: 'NP',
          recipients: ['BD'],
          purposes: ['reunification'],
          createdAt: new Date(now).toISOString(),
          expiresAt: new Date(now + 86_400_000).toISOString(),
          payload: {},
          signature: 'e30..c2ln',
        }) as unknown as Envelope,
    );
    for (const [index, envelope] of envelopes.entries()) {
      const traceparent = index === 0 ? `00-${'a'.repeat(32)}-${'1'.repeat(16)}-01` : undefined;
      await enqueueEnvelope(node.services.db, envelope, `case_${index}${now}`, traceparent);
    }
    return envelopes;
  }

  const receiptFor = (envelope: Envelope) => ({
    envelopeId: envelope.id,
    envelopeDigest: 'f'.repeat(64),
    receivedAt: new Date().toISOString(),
    hubSignature: 'e30.e30.c2ln',
  });
  const rowOf = async (envelope: Envelope) =>
    (await node.services.db.select().from(outbox).where(eq(outbox.envelopeId, envelope.id)))[0];

  it('sends them in one request and marks each row by its own result', async () => {
    const [sent, refused, failed] = (await enqueueThree()) as [Envelope, Envelope, Envelope];
    const scripted = scriptedHub({
      'POST /v1/envelopes/batch': () =>
        Response.json({
          requestId: 'req_1',
          results: [
            { envelopeId: sent.id, status: 201, receipt: receiptFor(sent) },
            {
              envelopeId: refused.id,
              status: 400,
              error: { code: 'SIGNATURE_INVALID', message: 'bad signature' },
            },
            { envelopeId: failed.id, status: 500, error: { code: 'INTERNAL', message: 'internal error' } },
          ],
        }),
    });
    node.services.hub = scripted.hub;

    expect(await relayDue(node.services)).toBe(1);
    expect(scripted.calls.map((call) => `${call.method} ${new URL(call.url).pathname}`)).toEqual([
      'POST /v1/envelopes/batch',
    ]);
    const body = (await scripted.calls[0]?.json()) as { envelopes: Envelope[]; traceparents: unknown[] };
    expect(body.envelopes.map((envelope) => envelope.id)).toEqual([sent.id, refused.id, failed.id]);
    expect(body.traceparents).toEqual([`00-${'a'.repeat(32)}-${'1'.repeat(16)}-01`, null, null]);

    expect((await rowOf(sent))?.status).toBe('sent');
    expect((await rowOf(sent))?.receipt?.envelopeId).toBe(sent.id);
    expect(await rowOf(refused)).toMatchObject({ status: 'rejected', attempts: 1 });
    expect((await rowOf(refused))?.lastError).toContain('SIGNATURE_INVALID');
    const retry = await rowOf(failed);
    expect(retry).toMatchObject({ status: 'pending', attempts: 1 });
    expect(retry?.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('falls back to one request per envelope when the hub has no batch route', async () => {
    await node.services.db.delete(outbox);
    const envelopes = await enqueueThree();
    const scripted = scriptedHub({
      'POST /v1/envelopes': async (request) => {
        const envelope = (await request.json()) as Envelope;
        return Response.json(receiptFor(envelope), { status: 201 });
      },
    });
    node.services.hub = scripted.hub;

    expect(await relayDue(node.services)).toBe(3);
    expect(scripted.calls.map((call) => new URL(call.url).pathname)).toEqual([
      '/v1/envelopes/batch',
      '/v1/envelopes',
      '/v1/envelopes',
      '/v1/envelopes',
    ]);
    for (const envelope of envelopes) expect((await rowOf(envelope))?.status).toBe('sent');
  });

  it('sends the envelopes of the jobs held at once in one request, each job told its own outcome', async () => {
    await node.services.db.delete(outbox);
    const envelopes = await enqueueThree();
    const scripted = scriptedHub({
      'POST /v1/envelopes/batch': async (request) => {
        const body = (await request.json()) as { envelopes: Envelope[] };
        return Response.json({
          requestId: 'req_2',
          results: body.envelopes.map((envelope) => ({
            envelopeId: envelope.id,
            status: 201,
            receipt: receiptFor(envelope),
          })),
        });
      },
    });
    node.services.hub = scripted.hub;
    const relay = createRelayBatcher(node.services);

    const outcomes = await Promise.all([
      ...envelopes.map((envelope) => relay(envelope.id)),
      relay(envelopeIdFor('NP', 'case.summary', 'case_none', 1)),
    ]);
    expect(outcomes).toEqual(['sent', 'sent', 'sent', 'gone']);
    expect(scripted.calls.map((call) => new URL(call.url).pathname)).toEqual(['/v1/envelopes/batch']);
    for (const envelope of envelopes) expect((await rowOf(envelope))?.status).toBe('sent');
    // A job run again for a row already sent finds nothing to do.
    expect(await relay((envelopes[0] as Envelope).id)).toBe('gone');
    expect(scripted.calls).toHaveLength(1);
  });
});
