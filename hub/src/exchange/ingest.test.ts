// Group commit (ingest.ts), on PGlite and PostgreSQL: envelopes queued in the same turn are stored
// by one transaction, and each still gets its own outcome — an id already stored or repeated in
// the batch is stored once, and one envelope the database refuses does not fail the others.
import { envelopeDigest } from '@khoj/contracts';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, envelopes, transparencyLeaves } from '../db/schema/index.ts';
import { sealedEnvelope } from '../testing/envelopes.ts';
import { startTrustHub, type TrustHub } from '../testing/trust-fixture.ts';
import { verifyTransparencyLog } from '../transparency/verify.ts';
import { readTrustAnchor } from '../trust/anchor.ts';
import type { AcceptedEnvelope } from './ingest.ts';
import { signReceipt } from './submission.ts';

describe.each(['pglite', 'postgres'] as const)('group-commit ingest on %s', (database) => {
  let hub: TrustHub;

  beforeAll(async () => {
    hub = await startTrustHub(database, { nodeIds: ['NP', 'BD', 'IN-WB'] });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const accepted = async (recipients = ['BD']): Promise<AcceptedEnvelope> => {
    const envelope = await sealedEnvelope(
      hub.fed.node('NP'),
      recipients.map((id) => hub.fed.node(id)),
    );
    const digest = envelopeDigest(envelope);
    const receipt = signReceipt(envelope, digest, new Date(), hub.services.signingKey);
    return { envelope, digest, receipt, recipients, traceparent: undefined };
  };
  const rowsOf = async (ids: string[]) => ({
    envelopes: await hub.services.db.select().from(envelopes).where(inArray(envelopes.id, ids)),
    deliveries: await hub.services.db.select().from(deliveries).where(inArray(deliveries.envelopeId, ids)),
    leaves: await hub.services.db
      .select()
      .from(transparencyLeaves)
      .where(inArray(transparencyLeaves.envelopeId, ids)),
  });
  const logVerifies = async () => {
    const anchor = await readTrustAnchor(hub.services.paths.anchor);
    expect(await verifyTransparencyLog(hub.services.db, anchor.configSigningKey)).toMatchObject({ ok: true });
  };

  it('stores a batch in one go and answers each envelope: stored, or there already', async () => {
    const { ingest } = hub.services;
    const earlier = await accepted();
    expect(await ingest.store(earlier)).toBe('stored');
    const fresh = await accepted(['BD', 'IN-WB']);
    const other = await accepted();
    const changed = await accepted();
    // Same id as `earlier`, different content: the route turns `exists` into a 409.
    const conflicting = { ...changed, envelope: { ...changed.envelope, id: earlier.envelope.id } };

    // Queued in the same turn of the event loop: one batch. Each request brings its own copy.
    const outcomes = await Promise.all([
      ingest.store(fresh),
      ingest.store(conflicting),
      ingest.store(other),
      ingest.store({ ...fresh }),
    ]);

    expect(outcomes).toEqual(['stored', 'exists', 'stored', 'exists']);
    const ids = [earlier, fresh, other].map((entry) => entry.envelope.id);
    const rows = await rowsOf(ids);
    expect(rows.envelopes.map((row) => row.id).sort()).toEqual([...ids].sort());
    expect(rows.envelopes.find((row) => row.id === earlier.envelope.id)?.digest).toBe(earlier.digest);
    expect(rows.deliveries).toHaveLength(4);
    expect(rows.leaves.map((leaf) => leaf.envelopeId).sort()).toEqual([...ids].sort());
    await logVerifies();
  });

  it('stores the others when the database refuses one envelope of a batch, and fails only that one', async () => {
    const { ingest } = hub.services;
    const good = await accepted();
    const alsoGood = await accepted();
    const refused = await accepted();
    // Not a time: PostgreSQL refuses the whole statement, so the batch falls back to one by one.
    refused.receipt = { ...refused.receipt, receivedAt: 'not a time' };

    const outcomes = await Promise.allSettled([
      ingest.store(good),
      ingest.store(refused),
      ingest.store(alsoGood),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const rows = await rowsOf([good, refused, alsoGood].map((entry) => entry.envelope.id));
    expect(rows.envelopes.map((row) => row.id).sort()).toEqual(
      [good.envelope.id, alsoGood.envelope.id].sort(),
    );
    expect(rows.leaves).toHaveLength(2);
    await logVerifies();
  });

  it('keeps appending after a batch that stored nothing new', async () => {
    const { ingest } = hub.services;
    const first = await accepted();
    expect(await ingest.store(first)).toBe('stored');
    expect(await Promise.all([ingest.store({ ...first }), ingest.store({ ...first })])).toEqual([
      'exists',
      'exists',
    ]);
    const next = await accepted();
    expect(await ingest.store(next)).toBe('stored');
    expect((await rowsOf([first.envelope.id, next.envelope.id])).leaves).toHaveLength(2);
    await logVerifies();
  });
});
