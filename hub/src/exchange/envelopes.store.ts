// Queries over envelopes and deliveries (the inboxes). Envelopes are stored by ingest.ts.
import type { Database } from '@khoj/platform';
import { eq } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { envelopes } from '../db/schema/index.ts';
import { runPrepared } from './prepared.ts';

type HubDb = Database<typeof schema>;

export async function findEnvelopeDigest(db: HubDb, id: string) {
  const [row] = await db
    .select({ digest: envelopes.digest, receipt: envelopes.receipt })
    .from(envelopes)
    .where(eq(envelopes.id, id))
    .limit(1);
  return row;
}

/**
 * The oldest unacknowledged, unexpired envelopes for `recipient` (a long-poll asks on every wake),
 * each as the JSON text stored (a text column): the inbox answer splices it in instead of parsing and
 * serialising every envelope again.
 */
export async function pendingDeliveries(db: HubDb, recipient: string, limit: number, now: Date) {
  return runPrepared<{ envelope: string; traceparent: string | null }>(db, 'hub_inbox', PENDING, [
    recipient,
    now.toISOString(),
    limit,
  ]);
}

// The oldest pending first, chosen over narrow rows (ids and arrival order) and only then joined
// to the bodies: with a backlog, sorting whole 2 KB rows to keep a page of them made each poll
// cost in proportion to the backlog's bytes.
const PENDING = `
  select envelope.body as envelope, envelope.traceparent
  from (
    select pending.envelope_id, envelope.seq
    from deliveries pending join envelopes envelope on envelope.id = pending.envelope_id
    where pending.recipient = $1::text and pending.acked_at is null and envelope.expires_at > $2::timestamptz
    order by envelope.seq
    limit $3::int
  ) page join envelopes envelope on envelope.id = page.envelope_id
  order by page.seq`;

/** Marks the recipient's deliveries of these envelopes acknowledged; returns how many were pending. */
export async function acknowledge(
  db: HubDb,
  recipient: string,
  envelopeIds: string[],
  now: Date,
): Promise<number> {
  // One array parameter: one statement text whatever the number of ids, so it stays prepared.
  const updated = await runPrepared(db, 'hub_inbox_ack', ACKNOWLEDGE, [
    recipient,
    envelopeIds,
    now.toISOString(),
  ]);
  return updated.length;
}

const ACKNOWLEDGE = `
  update deliveries set acked_at = $3::timestamptz
  where recipient = $1::text and envelope_id = any($2::text[]) and acked_at is null
  returning envelope_id`;
