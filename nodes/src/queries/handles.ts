// The life of the hit handles this node gives out. A handle is honoured in a detail request until
// its lifetime (KHOJ_HIT_HANDLE_DAYS) is over, its case closes, or the case's consent stops
// covering the query's purpose for the asking node (query.ts handleDeadReason). A detail request
// naming a dead or unknown handle is refused (EnvelopeRejected, audited by the inbox) and the
// asking node is told with a `detail.response` of decision `refused`, so its officer sees why.
// A periodic sweep deletes dead handles, so the mapping handle → case does not linger.
import type { DetailResponseBody, Envelope } from '@khoj/contracts';
import { errorLine } from '@khoj/platform';
import { asc, eq, gt, inArray } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import { cases, hitHandles } from '../db/schema/index.ts';
import { EnvelopeRejected } from '../exchange/seal.ts';
import { startWakeableLoop, type WakeableLoop } from '../jobs/wakeable-loop.ts';
import type { NodeServices } from '../services.ts';
import { sealToMembers } from './envelopes.ts';
import { ASK_VERSION, handleDeadReason } from './query.ts';

/** Who sweeps are attributed to in the audit log. */
export const HANDLE_SWEEP_ACTOR = 'system:hit-handle-expiry';
/** Between sweeps, ms: a lifetime is days, so an hour late is within its meaning. */
const SWEEP_INTERVAL_MS = 3_600_000;
/** Handles looked at per batch of a sweep. */
const SWEEP_BATCH = 500;
/** How long a refusal waits at the hub to be collected: as long as the request it answers. */
const REFUSAL_LIFETIME_MS = 30 * 24 * 3_600_000;

type HitRequest = { requestId: string; queryId: string; handle: string };

/**
 * Refuses (before anything is stored) a detail request naming a handle that this node did not
 * give to the envelope's origin for that query, or that is dead; tells the asker first, in a
 * transaction of its own since the rejection leaves no transaction to write in. A redelivery after
 * the rejection is logged never reaches here (the inbox log), and the refusal's envelope id is
 * fixed by the request id, so a retry after a crash queues it once.
 */
export async function refuseDeadHandle(
  services: NodeServices,
  envelope: Envelope,
  body: HitRequest,
): Promise<void> {
  const [handle] = await services.db
    .select({ handle: hitHandles, caseRow: cases })
    .from(hitHandles)
    .leftJoin(cases, eq(cases.id, hitHandles.caseId))
    .where(eq(hitHandles.handle, body.handle))
    .limit(1);
  const now = services.clock();
  let refusal: { code: 'ERR_SUBJECT_UNKNOWN' | 'ERR_HIT_EXPIRED'; told: string; why: string } | undefined;
  if (!handle || handle.handle.origin !== envelope.origin || handle.handle.queryId !== body.queryId) {
    const why = `no hit ${body.handle} was given to ${envelope.origin} for query ${body.queryId}`;
    refusal = { code: 'ERR_SUBJECT_UNKNOWN', told: why, why };
  } else {
    const dead = handleDeadReason(handle.handle, handle.caseRow ?? undefined, now);
    // The asker learns that the hit is gone, not why: a closed case would say the child was found.
    if (dead)
      refusal = {
        code: 'ERR_HIT_EXPIRED',
        told: `hit ${body.handle} is no longer valid at ${services.identity.nodeId}`,
        why: `hit ${body.handle} (case ${handle.handle.caseId}): ${dead}`,
      };
  }
  if (!refusal) return;
  const response: DetailResponseBody = {
    requestId: body.requestId,
    decision: 'refused',
    code: refusal.code,
    reason: refusal.told,
    decidedAt: now.toISOString(),
  };
  const sent = await services.db.transaction(async (tx) => {
    const sealed = await sealToMembers(tx, services, {
      type: 'detail.response',
      subject: body.requestId,
      version: ASK_VERSION,
      body: response,
      nodeIds: [envelope.origin],
      purposes: envelope.purposes,
      expiresAt: new Date(now.getTime() + REFUSAL_LIFETIME_MS),
    });
    await appendAudit(tx, {
      at: now,
      actorId: `node:${envelope.origin}`,
      action: 'detail.refused',
      recordType: 'detail_request',
      recordId: `${envelope.origin}/${body.requestId}`,
      reason: `${refusal.code}: ${refusal.why}`,
    });
    return sealed;
  });
  services.relay.notify([sent.id]);
  throw new EnvelopeRejected(refusal.code, refusal.why);
}

/**
 * Deletes the handles dead at `now` (past their lifetime, case closed, consent no longer covering
 * them), each with an entry on its case's trail; returns how many. Every handle is looked at, in
 * batches in handle order (a consent's recipient patterns are judged here, not in SQL): a node
 * holds a few thousand handles at most (twenty per query answered, for a month). Two processes
 * sweeping at once delete each handle once: only the one whose DELETE returned it audits it.
 */
export async function sweepHitHandles(
  services: Pick<NodeServices, 'db' | 'clock'>,
  now: Date = services.clock(),
): Promise<number> {
  let swept = 0;
  let after = '';
  for (;;) {
    const batch = await services.db
      .select({ handle: hitHandles, caseRow: cases })
      .from(hitHandles)
      .leftJoin(cases, eq(cases.id, hitHandles.caseId))
      .where(gt(hitHandles.handle, after))
      .orderBy(asc(hitHandles.handle))
      .limit(SWEEP_BATCH);
    const dead = batch.flatMap(({ handle, caseRow }) => {
      const why = handleDeadReason(handle, caseRow ?? undefined, now);
      return why ? [{ handle, why }] : [];
    });
    if (dead.length > 0) {
      swept += await services.db.transaction(async (tx) => {
        const deleted = await tx
          .delete(hitHandles)
          .where(
            inArray(
              hitHandles.handle,
              dead.map(({ handle }) => handle.handle),
            ),
          )
          .returning({ handle: hitHandles.handle });
        const gone = new Set(deleted.map((row) => row.handle));
        for (const { handle, why } of dead) {
          if (!gone.has(handle.handle)) continue;
          await appendAudit(tx, {
            at: now,
            actorId: HANDLE_SWEEP_ACTOR,
            action: 'case.query_hit_expired',
            recordType: 'case',
            recordId: handle.caseId,
            reason: `hit ${handle.handle} for query ${handle.queryId} of ${handle.origin} forgotten: ${why}`,
          });
        }
        return deleted.length;
      });
    }
    const last = batch.at(-1);
    if (!last || batch.length < SWEEP_BATCH) return swept;
    after = last.handle.handle;
  }
}

export function startHitHandleSweep(services: NodeServices, intervalMs = SWEEP_INTERVAL_MS): WakeableLoop {
  return startWakeableLoop(
    async () => {
      const swept = await sweepHitHandles(services);
      if (swept > 0) services.log(`hit handles: ${swept} forgotten`);
      return false;
    },
    intervalMs,
    (error) => services.log(`hit handles: ${errorLine(error)}`),
  );
}
