// Queries over the outbox.
import type { Envelope, Receipt } from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import { and, asc, count, desc, eq, lte, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
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

/** What the hub said when it refused an envelope for good (a HubRequestError fits). */
export type HubRefusal = { message: string; code?: string | undefined };

/**
 * Parks a pending row the hub refused for good, with the hub's code, and audits the refusal in
 * the same transaction (`envelope.refused_by_hub` on the envelope's subject): the origin keeps
 * its own record of each hop's refusal, not only a log line.
 */
export async function markRejected(
  db: NodeDb,
  envelopeId: string,
  refusal: HubRefusal,
  now = new Date(),
): Promise<void> {
  const code = refusal.code ?? 'UNKNOWN';
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(outbox)
      .set({
        status: 'rejected',
        lastError: refusal.message.slice(0, 1000),
        refusalCode: code,
        refusedAt: now,
        attempts: sql`${outbox.attempts} + 1`,
      })
      .where(and(eq(outbox.envelopeId, envelopeId), eq(outbox.status, 'pending')))
      .returning({ subject: outbox.subject, envelope: outbox.envelope });
    if (!row) return;
    await appendAudit(tx, {
      actorId: 'system:relay',
      action: 'envelope.refused_by_hub',
      recordType: recordTypeOf(row.subject),
      recordId: row.subject,
      reason:
        `${code}: ${refusal.message} (${row.envelope.type} ${envelopeId} to ${row.envelope.recipients.join(', ')})`.slice(
          0,
          2000,
        ),
      at: now,
    });
  });
}

/** The audit record type of an outbox subject, from its id prefix (ids are prefixed by kind). */
export function recordTypeOf(subject: string): string {
  const prefix = subject.slice(0, subject.indexOf('_'));
  return SUBJECT_TYPES[prefix] ?? 'envelope_subject';
}
const SUBJECT_TYPES: Record<string, string> = {
  case: 'case',
  query: 'query',
  dreq: 'detail_request',
  xmatch: 'cross_border_candidate',
};

/** Rows refused before refusedAt was recorded count from their creation. */
const refusedAt = sql<Date>`coalesce(${outbox.refusedAt}, ${outbox.createdAt})`;

/** Newest refusal first; `before` is the last entry of the previous page. */
export async function listRefusedEnvelopes(
  db: NodeDb,
  page: { limit: number; before?: { at: Date; envelopeId: string } | undefined },
): Promise<OutboxRow[]> {
  return db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.status, 'rejected'),
        page.before
          ? sql`(${refusedAt}, ${outbox.envelopeId}) < (${page.before.at.toISOString()}::timestamptz, ${page.before.envelopeId})`
          : undefined,
      ),
    )
    .orderBy(desc(refusedAt), desc(outbox.envelopeId))
    .limit(page.limit);
}

export async function outboxCounts(db: NodeDb): Promise<{ pending: number; sent: number; rejected: number }> {
  const rows = await db.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status);
  const of = (status: string) => rows.find((row) => row.status === status)?.n ?? 0;
  return { pending: of('pending'), sent: of('sent'), rejected: of('rejected') };
}
