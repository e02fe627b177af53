// Retractions at the origin: when a case is reunited or closed, its consent is withdrawn or
// narrowed away from a node, or its scope expires, every node still holding a summary of it is
// sent a `case.retraction` — through the outbox, in the transaction of the change, under the
// case's id as outbox subject, so it is relayed after the summaries it withdraws. Who holds a
// summary is read from the outbox history: a node addressed by a case.summary and not by a later
// retraction.
import type { CaseRetraction, Envelope, Purpose, RetractionReason } from '@khoj/contracts';
import { currentTraceparent, errorLine } from '@khoj/platform';
import { and, asc, eq, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import { type CaseRow, cases, outbox } from '../db/schema/index.ts';
import type { ApplyTx } from '../exchange/handlers.ts';
import { enqueueEnvelope } from '../exchange/outbox.store.ts';
import { sealEnvelope } from '../exchange/seal.ts';
import { startWakeableLoop, type WakeableLoop } from '../jobs/wakeable-loop.ts';
import type { NodeServices } from '../services.ts';

/** How long a retraction may wait for delivery: it must outlive any summary it withdraws. */
const RETRACTION_LIFETIME_MS = 30 * 24 * 3600 * 1000;
/** Cases whose scope expired, retracted per sweep. */
const SWEEP_BATCH = 100;

type Executor = Pick<ApplyTx, 'select' | 'insert' | 'execute'>;

export type Holders = { holders: string[]; purposes: Purpose[]; retractions: number };

/** The nodes holding a summary of `caseId`, from the outbox history in creation order. */
export async function summaryHolders(tx: Pick<ApplyTx, 'select'>, caseId: string): Promise<Holders> {
  const history = await tx
    .select({ envelope: outbox.envelope })
    .from(outbox)
    .where(eq(outbox.subject, caseId))
    .orderBy(asc(outbox.seq));
  const holding = new Set<string>();
  const purposes = new Set<Purpose>();
  let retractions = 0;
  for (const { envelope } of history) {
    if (envelope.type === 'case.summary') {
      for (const recipient of envelope.recipients) holding.add(recipient);
      for (const purpose of envelope.purposes) purposes.add(purpose);
    } else if (envelope.type === 'case.retraction') {
      retractions++;
      for (const recipient of envelope.recipients) holding.delete(recipient);
    }
  }
  return { holders: [...holding].sort(), purposes: [...purposes], retractions };
}

/**
 * Sends a retraction of `row` to every node holding a summary of it except those in `keep` (the
 * recipients of a summary published in the same change). Returns the envelope, or null when
 * nobody is left to tell. A holder that has left the federation cannot be encrypted to and is
 * skipped (its copy is out of reach anyway).
 */
export async function retractCase(
  tx: Executor,
  services: NodeServices,
  row: Pick<CaseRow, 'id' | 'version'>,
  reason: RetractionReason,
  actorId: string,
  keep: readonly string[] = [],
): Promise<Envelope | null> {
  const { holders, purposes, retractions } = await summaryHolders(tx, row.id);
  const targets = holders.filter((nodeId) => !keep.includes(nodeId));
  if (targets.length === 0) return null;
  const recipients = await services.directory.resolveRecipients(targets, services.identity.nodeId, tx);
  if (recipients.length === 0) return null;
  const now = services.clock();
  const body: CaseRetraction = {
    caseId: row.id,
    origin: services.identity.nodeId,
    version: row.version,
    reason,
    retractedAt: now.toISOString(),
  };
  const envelope = await sealEnvelope({
    type: 'case.retraction',
    origin: services.identity.nodeId,
    subject: row.id,
    // The n-th retraction of this case: a case may be retracted from some nodes, shared again
    // and retracted again at one case version, and each retraction needs an id of its own.
    version: retractions + 1,
    body,
    recipients,
    purposes: purposes.length > 0 ? purposes : ['reunification'],
    expiresAt: new Date(now.getTime() + RETRACTION_LIFETIME_MS),
    signingKey: services.keys.signing,
    now,
  });
  await enqueueEnvelope(tx, envelope, row.id, currentTraceparent());
  await appendAudit(tx, {
    actorId,
    action: 'case.retraction.sent',
    recordType: 'case',
    recordId: row.id,
    reason: `${reason}: to ${envelope.recipients.join(', ')}`,
    at: now,
  });
  return envelope;
}

/**
 * The periodic check: every case whose consent has expired and that some node may still hold is
 * retracted (`scope_expired`). Returns the envelopes written, for the relay to be woken.
 */
export async function retractExpiredConsents(services: NodeServices): Promise<string[]> {
  const now = services.clock();
  const due = await services.db
    .select({ id: cases.id, version: cases.version })
    .from(cases)
    .where(
      and(
        sql`${cases.consent} is not null`,
        sql`(${cases.consent}->>'expiresAt')::timestamptz <= ${now.toISOString()}::timestamptz`,
        sql`exists (select 1 from ${outbox} s where s.subject = ${cases.id}
          and s.envelope->>'type' = 'case.summary'
          and not exists (select 1 from ${outbox} r where r.subject = ${cases.id}
            and r.envelope->>'type' = 'case.retraction' and r.seq > s.seq))`,
      ),
    )
    .limit(SWEEP_BATCH);
  const sent: string[] = [];
  for (const row of due) {
    const envelope = await services.db.transaction((tx) =>
      retractCase(tx, services, row, 'scope_expired', 'system:consent-expiry'),
    );
    if (envelope) sent.push(envelope.id);
  }
  if (sent.length > 0) services.relay.notify(sent);
  return sent;
}

/** How often the node looks for consents that have expired (minutes matter little: days of scope). */
const EXPIRY_CHECK_MS = 10 * 60_000;

/** The periodic expiry check as a background loop; a full batch runs the next one at once. */
export function startConsentExpiry(services: NodeServices, intervalMs = EXPIRY_CHECK_MS): WakeableLoop {
  return startWakeableLoop(
    async () => {
      const sent = await retractExpiredConsents(services);
      if (sent.length > 0) services.log(`consents: ${sent.length} expired, retracted`);
      return sent.length >= SWEEP_BATCH;
    },
    intervalMs,
    (error) => services.log(`consents: ${errorLine(error)}`),
  );
}
