// The relay: sends outbox rows to the hub until the hub answers with a signed receipt. Failures
// back off exponentially; the outbox row carries the state, so a crash or a lost queue only
// delays delivery. Two dispatchers drive it: BullMQ when Redis is configured, an in-process loop
// otherwise (the embedded default).
import { inSpan, SpanKind } from '@khoj/platform';
import type { OutboxRow } from '../db/schema/index.ts';
import type { NodeServices } from '../services.ts';
import { HubRequestError } from './hub-client.ts';
import {
  dueEnvelopes,
  findOutboxRow,
  isFirstInLine,
  markFailed,
  markRejected,
  markSent,
} from './outbox.store.ts';

/** Delay before attempt n+1, ms: 0.5 s doubling up to 5 min, with jitter so nodes spread out. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(500 * 2 ** attempts, 300_000);
  return Math.round(base * (0.75 + random() * 0.5));
}

export type RelayOutcome = 'sent' | 'retry' | 'waiting' | 'rejected' | 'gone';

/** Sends one outbox row. Never throws for hub or network failures: it records them. */
export async function relayEnvelope(services: NodeServices, row: OutboxRow): Promise<RelayOutcome> {
  if (row.status !== 'pending') return 'gone';
  if (!(await isFirstInLine(services.db, row))) return 'waiting';
  return inSpan(
    'relay envelope',
    {
      traceparent: row.traceparent ?? undefined,
      kind: SpanKind.PRODUCER,
      attributes: { 'khoj.envelope.id': row.envelopeId },
    },
    async () => {
      try {
        const { data, error, response } = await services.hub.POST('/v1/envelopes', { body: row.envelope });
        if (!data) throw new HubRequestError('submit envelope', response.status, error);
        await markSent(services.db, row.envelopeId, data, services.clock());
        return 'sent' as const;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof HubRequestError && error.permanent) {
          // The hub will refuse this envelope whatever we do; park it so later ones can go.
          await markRejected(services.db, row.envelopeId, message);
          services.log(`envelope ${row.envelopeId} refused by the hub: ${message}`);
          return 'rejected' as const;
        }
        const next = new Date(services.clock().getTime() + backoffMs(row.attempts));
        await markFailed(services.db, row.envelopeId, message, next);
        services.log(`envelope ${row.envelopeId} not relayed (attempt ${row.attempts + 1}): ${message}`);
        return 'retry' as const;
      }
    },
  );
}

export async function relayById(services: NodeServices, envelopeId: string): Promise<RelayOutcome> {
  const row = await findOutboxRow(services.db, envelopeId);
  return row ? relayEnvelope(services, row) : 'gone';
}

/** One pass over what is due; returns how many were sent. */
export async function relayDue(services: NodeServices, limit = 100): Promise<number> {
  let sent = 0;
  for (const row of await dueEnvelopes(services.db, services.clock(), limit)) {
    if ((await relayEnvelope(services, row)) === 'sent') sent += 1;
  }
  return sent;
}
