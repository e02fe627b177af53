// Envelope ids are bound to their origin and type (contracts' envelopeIdBelongsTo), over real
// mutual TLS: a member that learned another's case id cannot take that member's next ids (its
// retraction, its next version) — alone or mixed into a batch of its own — nor replay what it
// received to obtain a receipt; and the rightful origin's retraction still reaches every
// recipient afterwards. Before the binding, BD's squatted retraction id made NP's answer 409.
import { type Envelope, type EnvelopeType, envelopeIdBelongsTo, envelopeIdFor } from '@khoj/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopes } from '../db/schema/index.ts';
import { sealedEnvelope } from '../testing/envelopes.ts';
import { startTrustHub, type TrustHub } from '../testing/trust-fixture.ts';

const NODES = ['NP', 'BD', 'IN-WB'] as const;

describe('envelope ids bound to their origin', () => {
  let hub: TrustHub;
  let np: ReturnType<TrustHub['mutual']>;
  let bd: ReturnType<TrustHub['mutual']>;
  let inwb: ReturnType<TrustHub['mutual']>;
  const node = (id: string) => hub.fed.node(id);
  const caseId = `case_${crypto.randomUUID().replaceAll('-', '')}`;

  beforeAll(async () => {
    hub = await startTrustHub('pglite', { nodeIds: [...NODES] });
    [np, bd, inwb] = NODES.map((id) => hub.mutual(hub.fed.node(id))) as [typeof np, typeof bd, typeof inwb];
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const stored = async (id: string) =>
    hub.services.db.select({ origin: envelopes.origin }).from(envelopes).where(eq(envelopes.id, id));
  const inboxIds = async (client: typeof np) =>
    ((await client.get('/v1/inbox?limit=100')).body?.deliveries ?? []).map(
      (delivery: { envelope: Envelope }) => delivery.envelope.id,
    );
  /** BD's own envelope (its signature, its origin), under an id it chose. */
  const squat = (id: string, type: EnvelopeType) =>
    sealedEnvelope(node('BD'), [node('IN-WB')], { id, type, subject: caseId });

  it('derives different ids for each origin and type, each recognised only as its own', () => {
    const ids = NODES.flatMap((origin) =>
      (['case.summary', 'case.retraction'] as const).map((type) => ({
        origin,
        type,
        id: envelopeIdFor(origin, type, caseId, 2),
      })),
    );
    expect(new Set(ids.map(({ id }) => id)).size).toBe(ids.length);
    for (const { id, origin, type } of ids) {
      for (const other of ids) {
        expect(envelopeIdBelongsTo(id, other.origin, other.type)).toBe(
          other.origin === origin && other.type === type,
        );
      }
    }
    const id = envelopeIdFor('NP', 'case.summary', caseId, 1);
    expect(envelopeIdBelongsTo(`${id}0`, 'NP', 'case.summary')).toBe(false);
  });

  it("refuses every id trick of one member against another's envelopes, and the origin's retraction still reaches everyone", async () => {
    // NP shares a case with BD and IN-WB; BD now knows the case id.
    const summary = await sealedEnvelope(node('NP'), [node('BD'), node('IN-WB')], { subject: caseId });
    expect((await np.post('/v1/envelopes', summary)).status).toBe(201);

    const nextRetraction = envelopeIdFor('NP', 'case.retraction', caseId, 2);
    const nextVersion = envelopeIdFor('NP', 'case.summary', caseId, 2);
    const ownSummaryId = envelopeIdFor('BD', 'case.summary', caseId, 1);
    const tricks = [
      await squat(nextRetraction, 'case.retraction'), // NP's next retraction
      await squat(nextVersion, 'case.summary'), // NP's next version
      await squat(ownSummaryId, 'case.retraction'), // its own id, of another type
      await squat(`env_${'0'.repeat(44)}`, 'case.summary'), // an id derived from nothing
    ];
    for (const trick of tricks) {
      const response = await bd.post('/v1/envelopes', trick);
      expect(response.status, trick.id).toBe(403);
      expect(response.body?.error.code).toBe('ENVELOPE_ID_MISMATCH');
      expect(await stored(trick.id)).toEqual([]);
    }

    // The same tricks hidden in a batch of BD's own, honest envelopes: only the honest ones pass.
    const honest = await sealedEnvelope(node('BD'), [node('IN-WB')]);
    const batch = await bd.post('/v1/envelopes/batch', { envelopes: [honest, ...tricks] });
    expect(batch.status).toBe(200);
    expect(
      batch.body?.results.map((result: { status: number; error?: { code: string } }) => [
        result.status,
        result.error?.code,
      ]),
    ).toEqual([[201, undefined], ...tricks.map(() => [403, 'ENVELOPE_ID_MISMATCH'])]);

    // A recipient replaying the origin's envelope gets neither a store nor the origin's receipt.
    const replay = await bd.post('/v1/envelopes', summary);
    expect(replay.status).toBe(403);
    expect(replay.body?.error.code).toBe('ORIGIN_MISMATCH');
    expect(replay.body?.envelopeId).toBeUndefined();

    // NP withdraws consent: its retraction and next version are accepted and reach both.
    const retraction = await sealedEnvelope(node('NP'), [node('BD'), node('IN-WB')], {
      type: 'case.retraction',
      subject: caseId,
      version: 2,
    });
    expect(retraction.id).toBe(nextRetraction);
    expect((await np.post('/v1/envelopes', retraction)).status).toBe(201);
    const version2 = await sealedEnvelope(node('NP'), [node('BD'), node('IN-WB')], {
      subject: caseId,
      version: 2,
    });
    expect((await np.post('/v1/envelopes', version2)).status).toBe(201);
    expect(await stored(nextRetraction)).toEqual([{ origin: 'NP' }]);
    for (const recipient of [bd, inwb]) {
      expect(await inboxIds(recipient)).toEqual(
        expect.arrayContaining([summary.id, nextRetraction, nextVersion]),
      );
    }
  });
});
