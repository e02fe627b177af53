// The relay against a hub that does not answer (nothing listens on the node's hub address): the
// outbox row stays pending with the error and a later attempt time, and later envelopes about
// the same case wait behind it.
import { type Envelope, envelopeIdFor, type ReportInput } from '@khoj/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../db/schema/index.ts';
import { createTestNode } from '../testing/test-node.ts';
import { dueEnvelopes, enqueueEnvelope } from './outbox.store.ts';
import { backoffMs, relayDue } from './relay.ts';

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
