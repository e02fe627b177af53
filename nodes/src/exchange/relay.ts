// The relay: sends outbox rows to the hub until the hub answers with a signed receipt, many in one
// request (POST /v1/envelopes/batch): the due rows of a pass, or the jobs a BullMQ worker holds at
// once. Failures
// back off exponentially; the outbox row carries the state, so a crash or a lost queue only
// delays delivery. Two dispatchers drive it: BullMQ when Redis is configured, an in-process loop
// otherwise (the embedded default).
import { MAX_ENVELOPE_BATCH } from '@khoj/contracts';
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
          await markRejected(services.db, row.envelopeId, error, services.clock());
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

/**
 * One pass over what is due, sent in batches (POST /v1/envelopes/batch: one request, and one
 * hub transaction, for many envelopes); returns how many were sent. Every due row is the first
 * pending one of its case (dueEnvelopes), and the hub stores a batch in the order given, so
 * per-case order holds.
 */
export async function relayDue(services: NodeServices, limit = MAX_ENVELOPE_BATCH): Promise<number> {
  const rows = await dueEnvelopes(services.db, services.clock(), limit);
  const outcomes = await relayInBatches(services, rows);
  return outcomes.filter((outcome) => outcome === 'sent').length;
}

/**
 * Sends the rows with these ids that are pending and first in line for their case, together in
 * batches; answers each id with its outcome (`waiting` behind an earlier version of its case,
 * `gone` if no longer pending). What a BullMQ worker does with the jobs it holds at once.
 */
export async function relayByIds(services: NodeServices, envelopeIds: string[]): Promise<RelayOutcome[]> {
  const outcomes = new Map<string, RelayOutcome>();
  const ready: OutboxRow[] = [];
  for (const envelopeId of new Set(envelopeIds)) {
    const row = await findOutboxRow(services.db, envelopeId);
    if (row?.status !== 'pending') outcomes.set(envelopeId, 'gone');
    else if (!(await isFirstInLine(services.db, row))) outcomes.set(envelopeId, 'waiting');
    else ready.push(row);
  }
  const sent = await relayInBatches(services, ready);
  for (const [index, row] of ready.entries()) outcomes.set(row.envelopeId, sent[index] ?? 'retry');
  return envelopeIds.map((envelopeId) => outcomes.get(envelopeId) ?? 'gone');
}

/**
 * Collects the envelope ids of jobs that run at the same time (a BullMQ worker with many jobs in
 * hand) into one batch, sent once `flushAfterMs` has passed since the first or the batch is full;
 * each job gets its own envelope's outcome.
 */
export function createRelayBatcher(
  services: NodeServices,
  flushAfterMs = 5,
): (envelopeId: string) => Promise<RelayOutcome> {
  let waiting: Array<{ envelopeId: string; settle: (outcome: RelayOutcome | Error) => void }> = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    const batch = waiting;
    waiting = [];
    clearTimeout(timer);
    timer = undefined;
    relayByIds(
      services,
      batch.map((item) => item.envelopeId),
    ).then(
      (outcomes) => {
        for (const [index, item] of batch.entries()) item.settle(outcomes[index] ?? 'retry');
      },
      (error: unknown) => {
        for (const item of batch) item.settle(error instanceof Error ? error : new Error(String(error)));
      },
    );
  };
  return (envelopeId) =>
    new Promise<RelayOutcome>((resolve, reject) => {
      waiting.push({
        envelopeId,
        settle: (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)),
      });
      if (waiting.length >= MAX_ENVELOPE_BATCH) flush();
      else timer ??= setTimeout(flush, flushAfterMs);
    });
}

/** Sends `rows` in batches within the hub's count and size limits; returns each row's outcome. */
async function relayInBatches(services: NodeServices, rows: OutboxRow[]): Promise<RelayOutcome[]> {
  const outcomes: RelayOutcome[] = [];
  for (let start = 0; start < rows.length; ) {
    const batch = [rows[start] as OutboxRow];
    let bytes = JSON.stringify(batch[0]?.envelope).length;
    for (start += 1; start < rows.length && batch.length < MAX_ENVELOPE_BATCH; start += 1) {
      const size = JSON.stringify(rows[start]?.envelope).length;
      if (bytes + size > MAX_BATCH_BYTES) break;
      batch.push(rows[start] as OutboxRow);
      bytes += size;
    }
    outcomes.push(...(await relayBatch(services, batch)));
  }
  return outcomes;
}

/** Below the hub's 1 MB request body limit, with room for the batch's own JSON. */
const MAX_BATCH_BYTES = 900_000;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Sends `rows` in one request; each row is marked by its own result, which is returned. */
async function relayBatch(services: NodeServices, rows: OutboxRow[]): Promise<RelayOutcome[]> {
  if (rows.length === 1) return [await relayEnvelope(services, rows[0] as OutboxRow)];
  const answer = await inSpan(
    'relay envelope batch',
    { kind: SpanKind.PRODUCER, attributes: { 'khoj.envelope.count': rows.length } },
    async () => {
      try {
        const { data, error, response } = await services.hub.POST('/v1/envelopes/batch', {
          body: {
            envelopes: rows.map((row) => row.envelope),
            // Each envelope's own trace, so its recipient continues the work that made it.
            traceparents: rows.map((row) =>
              row.traceparent && TRACEPARENT.test(row.traceparent) ? row.traceparent : null,
            ),
          },
        });
        if (!data) return new HubRequestError('submit envelope batch', response.status, error);
        return data.results;
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    },
  );
  if (answer instanceof HubRequestError && answer.permanent) {
    // Refused as a whole (a hub without batches, or one over its size limit) says nothing about
    // any one envelope: send each on its own, so each gets its own answer.
    const outcomes: RelayOutcome[] = [];
    for (const row of rows) outcomes.push(await relayEnvelope(services, row));
    return outcomes;
  }
  const outcomes: RelayOutcome[] = [];
  for (const [index, row] of rows.entries()) {
    const result = Array.isArray(answer) ? answer[index] : undefined;
    if (result?.receipt && (result.status === 201 || result.status === 200)) {
      await markSent(services.db, row.envelopeId, result.receipt, services.clock());
      outcomes.push('sent');
      continue;
    }
    const failure = result
      ? new HubRequestError('submit envelope', result.status, { error: result.error })
      : answer instanceof Error
        ? answer
        : new Error('the hub gave no result for this envelope');
    if (failure instanceof HubRequestError && failure.permanent) {
      await markRejected(services.db, row.envelopeId, failure, services.clock());
      services.log(`envelope ${row.envelopeId} refused by the hub: ${failure.message}`);
      outcomes.push('rejected');
    } else {
      const next = new Date(services.clock().getTime() + backoffMs(row.attempts));
      await markFailed(services.db, row.envelopeId, failure.message, next);
      services.log(
        `envelope ${row.envelopeId} not relayed (attempt ${row.attempts + 1}): ${failure.message}`,
      );
      outcomes.push('retry');
    }
  }
  return outcomes;
}
