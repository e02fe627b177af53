// The transactional outbox: an envelope is written here in the same transaction as the case
// change it publishes, and this row — not the queue — is the durable state of its delivery.
import type { Envelope, Receipt } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const outbox = pgTable(
  'outbox',
  {
    envelopeId: text('envelope_id').primaryKey(),
    /** Creation order; a subject's envelopes are relayed in this order. */
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    /** What the envelope is about (a case id), for per-subject ordering. */
    subject: text('subject').notNull(),
    envelope: jsonb('envelope').$type<Envelope>().notNull(),
    traceparent: text('traceparent'),
    /**
     * pending → sent, or rejected when the hub refuses it for good (see refusalCode, lastError);
     * sent → dead_lettered when the hub dropped it undelivered past its expiry (dead_letters).
     */
    status: text('status', { enum: ['pending', 'sent', 'rejected', 'dead_lettered'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    /** The hub's error code when it refused the envelope (RECIPIENT_NOT_ALLOWED, …), and when. */
    refusalCode: text('refusal_code'),
    refusedAt: instant('refused_at'),
    /** The hub's signed receipt: proof of submission. */
    receipt: jsonb('receipt').$type<Receipt>(),
    createdAt: instant('created_at').notNull().defaultNow(),
    sentAt: instant('sent_at'),
  },
  (table) => [index('outbox_due').on(table.status, table.nextAttemptAt)],
);
export type OutboxRow = InferSelectModel<typeof outbox>;
