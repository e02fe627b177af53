// Appending to and verifying the hub's audit chain. Appends take a transaction-scoped advisory
// lock so two concurrent transactions cannot both link to the same last entry (which would fork
// the chain); the entry commits or rolls back with the change it records.
import type { Database } from '@khoj/platform';
import { asc, desc, gt, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from '../db/schema/index.ts';
import { hubAuditLog } from '../db/schema/index.ts';
import {
  checkHubChain,
  GENESIS_HASH,
  type HubAuditDetail,
  type HubAuditFields,
  type HubChainCheck,
  hubEntryHash,
} from './chain.ts';

type HubDb = Database<typeof schema>;
/** A transaction of the hub's database. */
export type HubTx = Pick<HubDb, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;

/** Arbitrary constant naming the hub audit chain's advisory lock. */
const HUB_AUDIT_LOCK = 7_423_101;

export type HubAuditInput = {
  at: Date;
  actor: string;
  action: string;
  subject: string;
  detail?: HubAuditDetail;
  requestId?: string | null;
};

/** Appends one entry inside `tx`, the transaction of the change it records. */
export async function appendHubAudit(tx: HubTx, input: HubAuditInput): Promise<void> {
  if (!(tx instanceof PgTransaction)) {
    throw new TypeError('appendHubAudit needs the transaction of the change it records');
  }
  await tx.execute(sql`select pg_advisory_xact_lock(${HUB_AUDIT_LOCK})`);
  const [last] = await tx
    .select({ seq: hubAuditLog.seq, hash: hubAuditLog.hash })
    .from(hubAuditLog)
    .orderBy(desc(hubAuditLog.seq))
    .limit(1);
  const fields: HubAuditFields = {
    at: input.at,
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    detail: input.detail ?? {},
    requestId: input.requestId ?? null,
  };
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx
    .insert(hubAuditLog)
    .values({ ...fields, seq, prevHash, hash: hubEntryHash(seq, prevHash, fields) });
}

/** Walks the whole chain in batches; names the first broken entry. */
export async function verifyHubAudit(db: HubDb, batchSize = 10_000): Promise<HubChainCheck> {
  let previous: { seq: number; hash: string } | undefined;
  let checked = 0;
  for (;;) {
    const batch = await db
      .select()
      .from(hubAuditLog)
      .where(gt(hubAuditLog.seq, previous?.seq ?? 0))
      .orderBy(asc(hubAuditLog.seq))
      .limit(batchSize);
    const result = checkHubChain(batch, previous);
    if (!result.ok) return { ...result, entries: checked + result.entries };
    checked += batch.length;
    const last = batch.at(-1);
    if (!last || batch.length < batchSize) return { ok: true, entries: checked };
    previous = last;
  }
}
