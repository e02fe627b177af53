// Queries over envelopes and deliveries (the inboxes).
import type { Envelope, Receipt } from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { deliveries, envelopes } from '../db/schema/index.ts';

type HubDb = Database<typeof schema>;

export async function findEnvelopeDigest(db: HubDb, id: string) {
  const [row] = await db
    .select({ digest: envelopes.digest, receipt: envelopes.receipt })
    .from(envelopes)
    .where(eq(envelopes.id, id))
    .limit(1);
  return row;
}

/** Stores the envelope and one delivery per recipient in one transaction; false if the id exists. */
export async function insertEnvelope(
  db: HubDb,
  envelope: Envelope,
  digest: string,
  receipt: Receipt,
  traceparent: string | undefined,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(envelopes)
      .values({
        id: envelope.id,
        origin: envelope.origin,
        type: envelope.type,
        expiresAt: new Date(envelope.expiresAt),
        digest,
        body: envelope,
        receipt,
        traceparent,
        receivedAt: new Date(receipt.receivedAt),
      })
      .onConflictDoNothing()
      .returning({ id: envelopes.id });
    if (inserted.length === 0) return false;
    await tx
      .insert(deliveries)
      .values(envelope.recipients.map((recipient) => ({ envelopeId: envelope.id, recipient })));
    return true;
  });
}

export async function pendingDeliveries(db: HubDb, recipient: string, limit: number, now: Date) {
  return db
    .select({ envelope: envelopes.body, traceparent: envelopes.traceparent })
    .from(deliveries)
    .innerJoin(envelopes, eq(envelopes.id, deliveries.envelopeId))
    .where(and(eq(deliveries.recipient, recipient), isNull(deliveries.ackedAt), gt(envelopes.expiresAt, now)))
    .orderBy(asc(envelopes.seq))
    .limit(limit);
}

export async function acknowledge(
  db: HubDb,
  recipient: string,
  envelopeIds: string[],
  now: Date,
): Promise<number> {
  const updated = await db
    .update(deliveries)
    .set({ ackedAt: now })
    .where(
      and(
        eq(deliveries.recipient, recipient),
        inArray(deliveries.envelopeId, envelopeIds),
        isNull(deliveries.ackedAt),
      ),
    )
    .returning({ id: deliveries.envelopeId });
  return updated.length;
}
