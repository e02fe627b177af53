// Appending to and verifying the audit chain. Appends take a transaction-scoped advisory lock so
// that concurrent transactions cannot both link to the same last entry (which would fork the
// chain); the entry commits or rolls back with the change it records.
import type { Database } from '@khoj/platform';
import { asc, desc, gt, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from '../db/schema/index.ts';
import { auditLog } from '../db/schema/index.ts';
import { type AuditFields, type ChainCheck, checkChain, entryHash, GENESIS_HASH } from './chain.ts';

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
 */
export async function appendAudit(tx: AuditExecutor | NodeDb, input: AuditInput): Promise<void> {
  if (!(tx instanceof PgTransaction)) return (tx as NodeDb).transaction((own) => appendAudit(own, input));
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
  const [last] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
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
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx.insert(auditLog).values({ ...fields, seq, prevHash, hash: entryHash(seq, prevHash, fields) });
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
