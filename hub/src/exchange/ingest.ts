// Storing accepted envelopes with group commit. Each envelope is checked on its own request
// (signature, policy); storing is what must be serialised — the transparency log has one head —
// so requests queue here and one transaction at a time stores every envelope waiting: the
// envelopes, one delivery per recipient and their log entries, together. While it commits, the
// next batch gathers. Under load a transaction carries many envelopes (one commit, one lock of
// the log head, one read of the frontier); alone, an envelope is stored at once.
import type { Envelope, Receipt, TransparencyLeaf } from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import type * as schema from '../db/schema/index.ts';
import { type LogState, lockLogHead, readLogState, writeEntries } from '../transparency/log.store.ts';
import { runPrepared } from './prepared.ts';

export type AcceptedEnvelope = {
  envelope: Envelope;
  digest: string;
  receipt: Receipt;
  /** Resolved: a fanned-out query's members, otherwise the envelope's recipients. */
  recipients: string[];
  traceparent: string | undefined;
};

/** `stored`: this request stored it; `exists`: an envelope with this id was there already. */
export type IngestOutcome = 'stored' | 'exists';

/** Largest batch per transaction (at 64 recipients each, well under PostgreSQL's 65,535 bind parameters). */
const MAX_BATCH = 200;

const INSERT_ENVELOPES = `
  insert into envelopes (id, origin, type, expires_at, digest, body, receipt, traceparent, received_at)
  select id, origin, type, expires_at::timestamptz, digest, body, receipt::jsonb, traceparent,
    received_at::timestamptz
  from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[])
    as envelope(id, origin, type, expires_at, digest, body, receipt, traceparent, received_at)
  on conflict do nothing
  returning id`;

const INSERT_DELIVERIES = `
  insert into deliveries (envelope_id, recipient) select * from unnest($1::text[], $2::text[])`;

type Waiting = {
  accepted: AcceptedEnvelope;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
};

export type EnvelopeIngest = ReturnType<typeof createEnvelopeIngest>;

export function createEnvelopeIngest(db: Database<typeof schema>) {
  let queue: Waiting[] = [];
  let running: Promise<void> | undefined;
  /**
   * The log as this process last committed it, so a batch need not read the frontier again. Used
   * only when the locked head still has its size and root (another hub process may have appended).
   */
  let lastLog: LogState | undefined;

  async function drain(): Promise<void> {
    // Requests that arrive in the same turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(MAX_BATCH);
      await storeBatch(batch);
    }
    running = undefined;
  }

  async function storeBatch(batch: Waiting[]): Promise<void> {
    try {
      const stored = await storeTogether(batch.map((waiting) => waiting.accepted));
      for (const waiting of batch) {
        waiting.resolve(stored.has(waiting.accepted) ? 'stored' : 'exists');
      }
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One envelope the database refuses must not fail the others: store each on its own.
      for (const waiting of batch) await storeBatch([waiting]);
    }
  }

  /** One transaction; returns the envelopes this transaction stored (not those already there). */
  async function storeTogether(batch: AcceptedEnvelope[]): Promise<Set<AcceptedEnvelope>> {
    // First of each id only, in the order submitted: the inbox delivers by arrival (`seq`), so a
    // batch from one node keeps its per-case order. Two transactions inserting overlapping ids
    // cannot deadlock on the primary key, because each takes the log head's lock before inserting.
    const byId = new Map<string, AcceptedEnvelope>();
    for (const accepted of batch)
      if (!byId.has(accepted.envelope.id)) byId.set(accepted.envelope.id, accepted);
    const unique = [...byId.values()];
    const stored = await db.transaction(async (tx) => {
      const head = await lockLogHead(tx);
      // Prepared (prepared.ts) and over array parameters (unnest): nine parameters whatever the
      // batch size, and one statement text, prepared once per connection.
      const inserted = await runPrepared<{ id: string }>(tx, 'hub_store_envelopes', INSERT_ENVELOPES, [
        unique.map(({ envelope }) => envelope.id),
        unique.map(({ envelope }) => envelope.origin),
        unique.map(({ envelope }) => envelope.type),
        unique.map(({ envelope }) => envelope.expiresAt),
        unique.map(({ digest }) => digest),
        unique.map(({ envelope }) => JSON.stringify(envelope)),
        unique.map(({ receipt }) => JSON.stringify(receipt)),
        unique.map(({ traceparent }) => traceparent ?? null),
        unique.map(({ receipt }) => receipt.receivedAt),
      ]);
      const ids = new Set(inserted.map((row) => row.id));
      const fresh = unique.filter((accepted) => ids.has(accepted.envelope.id));
      if (fresh.length === 0) return { fresh, log: undefined };
      const state =
        lastLog && lastLog.size === head.treeSize && lastLog.rootHash === head.rootHash
          ? lastLog
          : await readLogState(tx, head);
      const deliveryRows = fresh.flatMap(({ envelope, recipients }) =>
        recipients.map((recipient) => [envelope.id, recipient] as const),
      );
      const [, log] = await Promise.all([
        runPrepared(tx, 'hub_store_deliveries', INSERT_DELIVERIES, [
          deliveryRows.map(([envelopeId]) => envelopeId),
          deliveryRows.map(([, recipient]) => recipient),
        ]),
        writeEntries(tx, state, fresh.map(logEntry)),
      ]);
      return { fresh, log };
    });
    // Only once committed: a rolled-back batch must not leave its state behind.
    if (stored.log) lastLog = stored.log;
    return new Set(stored.fresh);
  }

  return {
    store(accepted: AcceptedEnvelope): Promise<IngestOutcome> {
      return new Promise((resolve, reject) => {
        queue.push({ accepted, resolve, reject });
        running ??= drain();
      });
    },
    /** Resolves once everything queued has been stored (or failed). */
    async idle(): Promise<void> {
      while (running) await running;
    },
  };
}

export function logEntry({ envelope, digest, receipt, recipients }: AcceptedEnvelope): TransparencyLeaf {
  return {
    envelopeId: envelope.id,
    type: envelope.type,
    origin: envelope.origin,
    recipients,
    purposes: envelope.purposes,
    digest,
    acceptedAt: receipt.receivedAt,
  };
}
