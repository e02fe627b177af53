// The inbox puller: long-polls the hub for this node's envelopes, opens each one with the
// handler of its type (handlers.ts: origin signature end to end, decryption, payload checks),
// applies it exactly once in effect (the inbox log is keyed on the envelope id, which is bound
// to its origin and type: an id that is not is refused before the log is touched), and
// acknowledges it. An envelope that can never be applied is logged as rejected with its reason,
// audited, and acknowledged, so it cannot block the inbox.
import { type Delivery, envelopeIdBelongsTo } from '@khoj/contracts';
import { errorLine, inSpan, SpanKind, sqlStateOf } from '@khoj/platform';
import { count, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import { inboxLog } from '../db/schema/index.ts';
import type { NodeServices } from '../services.ts';
import { decryptionKeys } from '../trust/own-keys.ts';
import { envelopeHandlers } from './handlers.ts';
import { HubRequestError } from './hub-client.ts';
import { backoffMs } from './relay.ts';
import { EnvelopeRejected } from './seal.ts';

export type InboxPuller = { stop(): Promise<void> };

export function startInboxPuller(services: NodeServices): InboxPuller {
  const abort = new AbortController();
  const loop = (async () => {
    let failures = 0;
    while (!abort.signal.aborted) {
      try {
        await pullOnce(services, services.config.inboxWaitSeconds, abort.signal);
        failures = 0;
      } catch (error) {
        if (abort.signal.aborted) break;
        services.log(`inbox: ${errorLine(error)}`);
        await sleep(backoffMs(Math.min(failures++, 6)), abort.signal);
      }
    }
  })();
  return {
    async stop() {
      abort.abort();
      await loop;
    },
  };
}

/** Takes one batch from the hub's inbox and applies it; returns how many deliveries it saw. */
export async function pullOnce(
  services: NodeServices,
  waitSeconds: number,
  signal?: AbortSignal,
): Promise<number> {
  const { data, error, response } = await services.hub.GET('/v1/inbox', {
    params: { query: { waitSeconds, limit: 50 } },
    signal,
  });
  if (!data) throw new HubRequestError('get inbox', response.status, error);
  for (const delivery of data.deliveries) await applyDelivery(services, delivery);
  if (data.deliveries.length > 0) {
    const envelopeIds = data.deliveries.map((delivery) => delivery.envelope.id);
    const acked = await services.hub.POST('/v1/inbox/ack', { body: { envelopeIds } });
    if (!acked.data) throw new HubRequestError('ack inbox', acked.response.status, acked.error);
  }
  return data.deliveries.length;
}

async function applyDelivery(services: NodeServices, { envelope, traceparent }: Delivery): Promise<void> {
  await inSpan(
    'apply envelope',
    {
      traceparent,
      kind: SpanKind.CONSUMER,
      attributes: { 'khoj.envelope.id': envelope.id, 'khoj.origin': envelope.origin },
    },
    async () => {
      if (!envelopeIdBelongsTo(envelope.id, envelope.origin, envelope.type)) {
        // Refused before the inbox log is read or written: logging it under this id would make
        // the id's rightful envelope, arriving later, look like a redelivery and be skipped.
        await refuseForeignId(services, envelope);
        return;
      }
      const [seen] = await services.db
        .select()
        .from(inboxLog)
        .where(eq(inboxLog.envelopeId, envelope.id))
        .limit(1);
      if (seen) return; // a redelivery: its effect is already here
      try {
        const handler = envelopeHandlers[envelope.type];
        if (!handler)
          throw new EnvelopeRejected('ERR_TYPE_UNSUPPORTED', `this node does not apply ${envelope.type}`);
        // Only keys the signed federation configuration says were valid when this was signed.
        // Without an unexpired configuration this throws FederationConfigUnavailable: the batch
        // stays unacknowledged at the hub and is taken again later.
        const originKeys = await services.directory.originSigningKeys(envelope);
        const body = await handler.open(
          envelope,
          { own: decryptionKeys(services.keys), originSigningKeys: originKeys },
          services,
        );
        const applied = await services.db.transaction(async (tx) => {
          const logged = await tx
            .insert(inboxLog)
            .values({
              envelopeId: envelope.id,
              origin: envelope.origin,
              type: envelope.type,
              outcome: 'applied',
            })
            .onConflictDoNothing()
            .returning();
          if (logged.length === 0) return false;
          await handler.apply(tx, services, envelope, body);
          return true;
        });
        if (applied) handler.afterCommit?.(services, envelope, body);
      } catch (thrown) {
        const error = asRejection(thrown);
        if (!error) throw thrown;
        services.log(
          `envelope ${envelope.id} from ${envelope.origin} rejected: ${error.code} ${error.message}`,
        );
        const reason = `${error.code}: ${error.message}`.slice(0, 1000);
        await services.db.transaction(async (tx) => {
          const logged = await tx
            .insert(inboxLog)
            .values({
              envelopeId: envelope.id,
              origin: envelope.origin,
              type: envelope.type,
              outcome: 'rejected',
              reason,
            })
            .onConflictDoNothing()
            .returning();
          if (logged.length === 0) return;
          await appendAudit(tx, {
            actorId: `node:${envelope.origin}`,
            action: 'envelope.refused',
            recordType: 'envelope',
            recordId: envelope.id,
            reason,
          });
        });
      }
    },
  );
}

/**
 * A refusal for good, or undefined for a failure worth retrying (the database away, a
 * configuration not yet held): the batch then stays unacknowledged. A data exception (SQLSTATE
 * 22…: a date PostgreSQL has no such day for, a number past its column) is the payload's, the
 * same on every retry — retried, it would hold every envelope behind it in the inbox.
 */
function asRejection(error: unknown): EnvelopeRejected | undefined {
  if (error instanceof EnvelopeRejected) return error;
  const state = sqlStateOf(error);
  if (state?.startsWith('22'))
    return new EnvelopeRejected('ERR_PAYLOAD_INVALID', `a value the store cannot take (SQLSTATE ${state})`);
  return undefined;
}

/** Audited only: the id belongs to another origin or type, so it is not ours to log it under. */
async function refuseForeignId(services: NodeServices, envelope: Delivery['envelope']): Promise<void> {
  const reason = `ERR_ENVELOPE_ID_MISMATCH: ${envelope.id} is not one of ${envelope.origin}'s ids for ${envelope.type}`;
  services.log(`envelope from ${envelope.origin} refused: ${reason}`);
  await appendAudit(services.db, {
    actorId: `node:${envelope.origin}`,
    action: 'envelope.refused',
    recordType: 'envelope',
    recordId: envelope.id,
    reason,
  });
}

export async function inboxCounts(services: NodeServices): Promise<{ received: number; rejected: number }> {
  const rows = await services.db
    .select({ outcome: inboxLog.outcome, n: count() })
    .from(inboxLog)
    .groupBy(inboxLog.outcome);
  const of = (outcome: string) => rows.find((row) => row.outcome === outcome)?.n ?? 0;
  return { received: of('applied'), rejected: of('rejected') };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
