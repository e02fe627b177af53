// Dead letters of this node's own envelopes: the hub's signed notice that an envelope's
// `expiresAt` passed before some recipients acknowledged it, fetched from GET /v1/dead-letters
// (exchange/dead-letters.ts) and kept after the signature checked out, so administrators can see
// — and show — what never arrived, to whom. One row per envelope: a notice fetched again is the
// same row.
import type { EnvelopeType, Purpose } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { bigint, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const deadLetters = pgTable('dead_letters', {
  envelopeId: text('envelope_id').primaryKey(),
  /** The hub's sequence number of the notice: the next fetch asks for the ones after it. */
  hubSeq: bigint('hub_seq', { mode: 'number' }).notNull().unique(),
  type: text('type').$type<EnvelopeType>().notNull(),
  /** The outbox subject (a case id, …) when this node still has the envelope in its outbox. */
  subject: text('subject'),
  purposes: jsonb('purposes').$type<Purpose[]>().notNull(),
  undeliveredTo: jsonb('undelivered_to').$type<string[]>().notNull(),
  envelopeDigest: text('envelope_digest').notNull(),
  expiresAt: instant('expires_at').notNull(),
  droppedAt: instant('dropped_at').notNull(),
  /** The hub's compact JWS, as fetched: the proof, verifiable again with the anchor key. */
  notice: text('notice').notNull(),
  receivedAt: instant('received_at').notNull(),
});
export type DeadLetterRow = InferSelectModel<typeof deadLetters>;
