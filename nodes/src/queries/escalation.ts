// Incoming detail requests left undecided past their deadline escalate: marked `escalated` (with
// the time), audited, and listed to the node's administrators (GET
// /v1/detail-requests?status=escalated), who may still approve or deny them. The check is one
// UPDATE … RETURNING in a transaction with its audit entries, so several processes of one node
// running it at once escalate each request once.

import { errorLine } from '@khoj/platform';
import { and, eq, lte } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import { detailRequests } from '../db/schema/index.ts';
import { startWakeableLoop, type WakeableLoop } from '../jobs/wakeable-loop.ts';
import type { NodeServices } from '../services.ts';

/** Who escalations are attributed to in the audit log. */
export const ESCALATION_ACTOR = 'system:detail-deadline';
/** Between checks, ms: a deadline is hours, so a minute late is within its meaning. */
const CHECK_INTERVAL_MS = 60_000;

/** Escalates every pending incoming request whose deadline is at or before `now`; returns how many. */
export async function escalateOverdueDetailRequests(
  services: Pick<NodeServices, 'db' | 'clock'>,
  now: Date = services.clock(),
): Promise<number> {
  return services.db.transaction(async (tx) => {
    const escalated = await tx
      .update(detailRequests)
      .set({ status: 'escalated', escalatedAt: now })
      .where(
        and(
          eq(detailRequests.direction, 'incoming'),
          eq(detailRequests.status, 'pending'),
          lte(detailRequests.deadline, now),
        ),
      )
      .returning();
    for (const row of escalated) {
      await appendAudit(tx, {
        at: now,
        actorId: ESCALATION_ACTOR,
        action: 'detail.escalate',
        recordType: 'detail_request',
        recordId: row.id,
        reason: `undecided at its deadline ${row.deadline?.toISOString()}: escalated to the node's administrators`,
      });
    }
    return escalated.length;
  });
}

export function startDetailEscalation(services: NodeServices, intervalMs = CHECK_INTERVAL_MS): WakeableLoop {
  return startWakeableLoop(
    async () => {
      const escalated = await escalateOverdueDetailRequests(services);
      if (escalated > 0) services.log(`detail requests: ${escalated} escalated past their deadline`);
      return false;
    },
    intervalMs,
    (error) => services.log(`detail requests: ${errorLine(error)}`),
  );
}
