// Expiry: an envelope not acknowledged by every recipient when its `expiresAt` passes is dropped
// from the inboxes that still hold it (the inbox already stops serving it at that instant) and
// becomes a dead letter, with a notice the hub signs with its configuration key, so the origin
// can show that it was never delivered, to whom. The origin reads its own with
// GET /v1/dead-letters (cursor `after`); administrators read all of them.
import { canonicalJson, DEAD_LETTER_KIND, type DeadLetter, type DeadLetterStatement } from '@khoj/contracts';
import { signJws } from '@khoj/pki';
import { and, asc, eq, exists, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import { type DeadLetterRow, deadLetters, deliveries, envelopes } from '../db/schema/index.ts';
import type { HubServices } from '../services.ts';

/** Arbitrary constant naming the sweep's advisory lock: one sweep at a time across hub processes. */
const SWEEP_LOCK = 7_423_103;
const SWEEP_BATCH = 500;

type Sweeper = Pick<HubServices, 'db' | 'configSigningKey'>;

/** Drops every delivery whose envelope expired by `now`; returns the number of dead letters made. */
export async function sweepExpired(services: Sweeper, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const round = await services.db.transaction(async (tx) => {
      // Two hub processes sweeping at once would both select the same envelopes; the second
      // waits here and then finds them gone.
      await tx.execute(sql`select pg_advisory_xact_lock(${SWEEP_LOCK})`);
      const expired = await tx
        .select({
          id: envelopes.id,
          origin: envelopes.origin,
          type: envelopes.type,
          digest: envelopes.digest,
          expiresAt: envelopes.expiresAt,
          body: envelopes.body,
        })
        .from(envelopes)
        .where(
          and(
            lte(envelopes.expiresAt, now),
            exists(
              tx
                .select({ one: sql`1` })
                .from(deliveries)
                .where(and(eq(deliveries.envelopeId, envelopes.id), isNull(deliveries.ackedAt))),
            ),
          ),
        )
        .orderBy(asc(envelopes.seq))
        .limit(SWEEP_BATCH);
      if (expired.length === 0) return { made: 0, scanned: 0 };
      const ids = expired.map((envelope) => envelope.id);
      const pending = await tx
        .delete(deliveries)
        .where(and(inArray(deliveries.envelopeId, ids), isNull(deliveries.ackedAt)))
        .returning({ envelopeId: deliveries.envelopeId, recipient: deliveries.recipient });
      const rows = [];
      for (const envelope of expired) {
        const undeliveredTo = pending
          .filter((row) => row.envelopeId === envelope.id)
          .map((row) => row.recipient)
          .sort();
        if (undeliveredTo.length === 0) continue;
        const statement: DeadLetterStatement = {
          kind: DEAD_LETTER_KIND,
          envelopeId: envelope.id,
          envelopeDigest: envelope.digest,
          origin: envelope.origin,
          undeliveredTo,
          expiresAt: envelope.expiresAt.toISOString(),
          droppedAt: now.toISOString(),
        };
        rows.push({
          envelopeId: envelope.id,
          origin: envelope.origin,
          type: envelope.body.type,
          purposes: envelope.body.purposes,
          undeliveredTo,
          expiresAt: envelope.expiresAt,
          droppedAt: now,
          notice: await signJws(canonicalJson(statement), services.configSigningKey),
        });
      }
      if (rows.length > 0) await tx.insert(deadLetters).values(rows).onConflictDoNothing();
      return { made: rows.length, scanned: expired.length };
    });
    total += round.made;
    if (round.scanned < SWEEP_BATCH) return total;
  }
}

export async function listDeadLetters(
  db: HubServices['db'],
  page: { after: number; limit: number; origin?: string | undefined },
): Promise<DeadLetter[]> {
  const rows = await db
    .select()
    .from(deadLetters)
    .where(
      and(gt(deadLetters.seq, page.after), page.origin ? eq(deadLetters.origin, page.origin) : undefined),
    )
    .orderBy(asc(deadLetters.seq))
    .limit(page.limit);
  return rows.map(deadLetterOf);
}

function deadLetterOf(row: DeadLetterRow): DeadLetter {
  return {
    seq: row.seq,
    envelopeId: row.envelopeId,
    type: row.type,
    origin: row.origin,
    purposes: row.purposes,
    undeliveredTo: row.undeliveredTo,
    expiresAt: row.expiresAt.toISOString(),
    droppedAt: row.droppedAt.toISOString(),
    notice: row.notice,
  };
}
