// Queries over envelopes and deliveries (the inboxes). Envelopes are stored by ingest.ts.
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
