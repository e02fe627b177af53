// Dead letters at the origin: the hub drops an envelope whose `expiresAt` passed before every
// recipient acknowledged it and keeps a notice it signs with its configuration key (the anchor's
// key). This node polls GET /v1/dead-letters for its own (cursor: the last hub seq it stored),
// checks each notice against the trust anchor — a notice that does not verify, or that is about
// another origin, is logged and never stored — then, in one transaction per notice, stores it,
// marks the outbox row dead-lettered and audits `envelope.dead_lettered`. Storing is keyed on the
// envelope id, so a notice fetched twice is stored and audited once. The hub has no
// acknowledgement for dead letters: the cursor is the acknowledgement.
import {
  type DeadLetter,
  type DeadLetterStatement,
  HubStatementError,
  type PublicJwk,
  verifyDeadLetterNotice,
} from '@khoj/contracts';
import { type Database, errorLine } from '@khoj/platform';
import { and, desc, eq, lt, max, ne } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import type * as schema from '../db/schema/index.ts';
import { type DeadLetterRow, deadLetters, outbox } from '../db/schema/index.ts';
import { startWakeableLoop, type WakeableLoop } from '../jobs/wakeable-loop.ts';
import type { NodeServices } from '../services.ts';
import { HubRequestError } from './hub-client.ts';
import { recordTypeOf } from './outbox.store.ts';

type NodeDb = Database<typeof schema>;

/** Notices asked for per request (the hub's maximum is 500). */
const PAGE = 100;

export type DeadLetterFetch = { stored: number; invalid: number; more: boolean };

/**
 * One fetch: asks the hub for the dead letters after `after` (or after the last one stored) and
 * stores the valid new ones. `more` when the page was full. Throws when the hub cannot be asked.
 */
export async function fetchDeadLetters(
  services: Pick<NodeServices, 'db' | 'hub' | 'trust' | 'identity' | 'clock' | 'log'>,
  after?: number,
): Promise<DeadLetterFetch & { lastSeq: number }> {
  const hubKey = services.trust.anchor?.configSigningKey;
  const from = Math.max(after ?? 0, await lastStoredSeq(services.db));
  if (!hubKey) {
    // Without the anchor a notice cannot be checked; the trust worker already says why.
    return { stored: 0, invalid: 0, more: false, lastSeq: from };
  }
  const { data, error, response } = await services.hub.GET('/v1/dead-letters', {
    params: { query: { after: from, limit: PAGE } },
  });
  if (!data) throw new HubRequestError('list dead letters', response.status, error);
  let stored = 0;
  let invalid = 0;
  let lastSeq = from;
  for (const letter of data.deadLetters) {
    lastSeq = Math.max(lastSeq, letter.seq);
    const checked = checkNotice(letter, hubKey, services.identity.nodeId);
    if (typeof checked === 'string') {
      invalid++;
      services.log(`dead letter ${letter.envelopeId} (hub seq ${letter.seq}) not stored: ${checked}`);
      continue;
    }
    if (await storeDeadLetter(services.db, letter, checked, services.clock())) stored++;
  }
  return { stored, invalid, more: data.deadLetters.length === PAGE, lastSeq };
}

/** The statement a listed dead letter's notice signs, or why it is not to be believed. */
export function checkNotice(
  letter: DeadLetter,
  hubKey: PublicJwk,
  self: string,
): DeadLetterStatement | string {
  try {
    const statement = verifyDeadLetterNotice(letter, hubKey);
    if (statement.origin !== self) return `ERR_STATEMENT_MISMATCH: about ${statement.origin}, not this node`;
    return statement;
  } catch (error) {
    if (error instanceof HubStatementError) return `${error.code}: ${error.message}`;
    throw error;
  }
}

/**
 * Stores a verified dead letter, marks its outbox row and audits it, together. Returns false
 * (changing nothing) when it was stored before.
 */
export async function storeDeadLetter(
  db: NodeDb,
  letter: DeadLetter,
  statement: DeadLetterStatement,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ subject: outbox.subject })
      .from(outbox)
      .where(eq(outbox.envelopeId, letter.envelopeId))
      .limit(1);
    const [inserted] = await tx
      .insert(deadLetters)
      .values({
        envelopeId: letter.envelopeId,
        hubSeq: letter.seq,
        type: letter.type,
        subject: row?.subject ?? null,
        purposes: letter.purposes,
        undeliveredTo: letter.undeliveredTo,
        envelopeDigest: statement.envelopeDigest,
        expiresAt: new Date(statement.expiresAt),
        droppedAt: new Date(letter.droppedAt),
        notice: letter.notice,
        receivedAt: now,
      })
      .onConflictDoNothing()
      .returning({ envelopeId: deadLetters.envelopeId });
    if (!inserted) return false;
    if (row) {
      // Whatever it was (sent, or pending with a lost receipt): the hub has dropped it, so
      // sending it again would only be refused as expired.
      await tx
        .update(outbox)
        .set({ status: 'dead_lettered' })
        .where(and(eq(outbox.envelopeId, letter.envelopeId), ne(outbox.status, 'rejected')));
    }
    await appendAudit(tx, {
      actorId: 'system:dead-letters',
      action: 'envelope.dead_lettered',
      recordType: row ? recordTypeOf(row.subject) : 'envelope',
      recordId: row?.subject ?? letter.envelopeId,
      reason: `${letter.type} ${letter.envelopeId} undelivered to ${letter.undeliveredTo.join(', ')}: expired ${letter.expiresAt}, dropped by the hub ${letter.droppedAt}`,
      at: now,
    });
    return true;
  });
}

async function lastStoredSeq(db: NodeDb): Promise<number> {
  const [row] = await db.select({ seq: max(deadLetters.hubSeq) }).from(deadLetters);
  return row?.seq ?? 0;
}

/** Newest dead letter first (by the hub's order); `before` is the last hub seq of the previous page. */
export async function listDeadLetters(
  db: NodeDb,
  page: { limit: number; before?: number | undefined },
): Promise<DeadLetterRow[]> {
  return db
    .select()
    .from(deadLetters)
    .where(page.before !== undefined ? lt(deadLetters.hubSeq, page.before) : undefined)
    .orderBy(desc(deadLetters.hubSeq))
    .limit(page.limit);
}

/** How often the node asks the hub for new dead letters, ms (expiries are hours to days). */
const DEAD_LETTER_POLL_MS = 60_000;

/**
 * The periodic fetch as a background loop; a full page fetches the next at once. The loop keeps
 * the last hub seq it saw, so an invalid notice at the end of the list is not fetched forever.
 */
export function startDeadLetterFetch(services: NodeServices, intervalMs = DEAD_LETTER_POLL_MS): WakeableLoop {
  let lastSeq = 0;
  return startWakeableLoop(
    async () => {
      const fetched = await fetchDeadLetters(services, lastSeq);
      lastSeq = fetched.lastSeq;
      if (fetched.stored > 0) services.log(`dead letters: ${fetched.stored} new from the hub`);
      return fetched.more;
    },
    intervalMs,
    (error) => services.log(`dead letters: ${errorLine(error)}`),
  );
}
