// Appending to and verifying the audit chain. Appends take a transaction-scoped advisory lock so
// that concurrent transactions cannot both link to the same last entry (which would fork the
// chain); the entry commits or rolls back with the change it records.
import type { Database } from '@khoj/platform';
import { asc, gt, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from '../db/schema/index.ts';
import { auditLog } from '../db/schema/index.ts';
import { type AuditFields, type ChainCheck, checkChain, GENESIS_HASH, hashTextAround } from './chain.ts';

type NodeDb = Database<typeof schema>;
/** A transaction (or the database, for a change that is only the audit entry itself). */
export type AuditExecutor = Pick<NodeDb, 'select' | 'insert' | 'execute'>;

/** Arbitrary constant naming the audit chain's advisory lock. */
const AUDIT_LOCK = 7_423_001;

export type AuditInput = Omit<AuditFields, 'at' | 'unitId' | 'reason' | 'requestId'> & {
  at?: Date;
  unitId?: string | null;
  reason?: string | null;
  requestId?: string | null;
};

/**
 * Appends one entry. Given the transaction of the change it records, it commits with that change;
 * given the database (an entry that records only a read), it opens a transaction of its own —
 * the advisory lock only holds until the end of a transaction, so without one two concurrent
 * appends could take the same sequence number.
 *
 * Two statements sent together (one round trip): the lock, then an insert that reads the last
 * entry and hashes the new one in SQL (hashTextAround; `khoj audit verify` rehashes in
 * JavaScript). The insert must be a statement of its own after the lock: a statement reads the
 * data committed when it starts, and the lock may be granted later than that. Should the two
 * ever run unlocked, the primary key on seq turns a second link to the same entry into an
 * error, never a fork.
 */
export async function appendAudit(tx: AuditExecutor | NodeDb, input: AuditInput): Promise<void> {
  if (!(tx instanceof PgTransaction)) return (tx as NodeDb).transaction((own) => appendAudit(own, input));
  const fields: AuditFields = {
    at: input.at ?? new Date(),
    actorId: input.actorId,
    unitId: input.unitId ?? null,
    action: input.action,
    recordType: input.recordType,
    recordId: input.recordId,
    reason: input.reason ?? null,
    requestId: input.requestId ?? null,
  };
  const text = hashTextAround(fields);
  const hashed = sql`encode(sha256(convert_to(
    ${text.before}::text || next.prev_hash || ${text.between}::text || next.seq::text || ${text.after}::text,
    'UTF8')), 'hex')`;
  // Issued in this order, so sent in this order; awaited together.
  const locked = tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const inserted = tx.execute(sql`
    insert into ${auditLog} (seq, at, actor_id, unit_id, action, record_type, record_id, reason,
      request_id, prev_hash, hash)
    select next.seq, ${fields.at.toISOString()}::timestamptz, ${fields.actorId}, ${fields.unitId},
      ${fields.action}, ${fields.recordType}, ${fields.recordId}, ${fields.reason}, ${fields.requestId},
      next.prev_hash, ${hashed}
    from (
      select coalesce(last.seq, 0) + 1 as seq, coalesce(last.hash, ${GENESIS_HASH}) as prev_hash
      from (select 1) as one
      left join (select seq, hash from ${auditLog} order by seq desc limit 1) as last on true
    ) as next`);
  await Promise.all([locked, inserted]);
}

/** Walks the whole chain in batches; stops at the first broken entry. */
export async function verifyAuditChain(db: NodeDb, batchSize = 10_000): Promise<ChainCheck> {
  let previous: { seq: number; hash: string } | undefined;
  let checked = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, previous?.seq ?? 0))
      .orderBy(asc(auditLog.seq))
      .limit(batchSize);
    const result = checkChain(batch, previous);
    if (!result.ok) return { ...result, entries: checked + result.entries };
    checked += batch.length;
    const last = batch.at(-1);
    if (!last || batch.length < batchSize) return { ok: true, entries: checked };
    previous = last;
  }
}
