// Queries over the outbox.
import type { Envelope, Receipt } from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import { and, asc, count, eq, lte, sql } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { type OutboxRow, outbox } from '../db/schema/index.ts';

type NodeDb = Database<typeof schema>;
/** A transaction or the database: the outbox row is written inside the caller's transaction. */
type Executor = Pick<NodeDb, 'insert'>;

export async function enqueueEnvelope(
  tx: Executor,
  envelope: Envelope,
  subject: string,
  traceparent: string | undefined,
): Promise<void> {
  await tx
    .insert(outbox)
    .values({ envelopeId: envelope.id, subject, envelope, traceparent })
    .onConflictDoNothing();
}

/**
 * Pending rows that are due and first in line for their subject: a later envelope about the same
 * case never overtakes an earlier one that is still pending (per-case order).
 */
export async function dueEnvelopes(db: NodeDb, now: Date, limit: number): Promise<OutboxRow[]> {
  return db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.status, 'pending'),
        lte(outbox.nextAttemptAt, now),
        sql`not exists (select 1 from ${outbox} earlier where earlier.subject = ${outbox.subject}
          and earlier.status = 'pending' and earlier.seq < ${outbox.seq})`,
      ),
    )
    .orderBy(asc(outbox.seq))
    .limit(limit);
}

export async function findOutboxRow(db: NodeDb, envelopeId: string): Promise<OutboxRow | undefined> {
  const [row] = await db.select().from(outbox).where(eq(outbox.envelopeId, envelopeId)).limit(1);
  return row;
}

export async function isFirstInLine(db: NodeDb, row: OutboxRow): Promise<boolean> {
  const [earlier] = await db
    .select({ n: count() })
    .from(outbox)
    .where(
      and(eq(outbox.subject, row.subject), eq(outbox.status, 'pending'), sql`${outbox.seq} < ${row.seq}`),
    );
  return (earlier?.n ?? 0) === 0;
}

export async function markSent(db: NodeDb, envelopeId: string, receipt: Receipt, now: Date): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'sent', receipt, sentAt: now, lastError: null, attempts: sql`${outbox.attempts} + 1` })
    .where(eq(outbox.envelopeId, envelopeId));
}

export async function markFailed(
  db: NodeDb,
  envelopeId: string,
  error: string,
  nextAttemptAt: Date,
): Promise<void> {
  await db
    .update(outbox)
    .set({ lastError: error.slice(0, 1000), nextAttemptAt, attempts: sql`${outbox.attempts} + 1` })
    .where(eq(outbox.envelopeId, envelopeId));
}

export async function markRejected(db: NodeDb, envelopeId: string, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ status: 'rejected', lastError: error.slice(0, 1000), attempts: sql`${outbox.attempts} + 1` })
    .where(eq(outbox.envelopeId, envelopeId));
}

export async function outboxCounts(db: NodeDb): Promise<{ pending: number; sent: number; rejected: number }> {
  const rows = await db.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status);
  const of = (status: string) => rows.find((row) => row.status === status)?.n ?? 0;
  return { pending: of('pending'), sent: of('sent'), rejected: of('rejected') };
}
