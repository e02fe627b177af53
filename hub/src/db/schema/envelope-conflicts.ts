// Envelope ids submitted again with different content: refused with 409 and reported here for
// administrators (a node re-using an id is a bug or an attack). Digests only.
import type { InferSelectModel } from 'drizzle-orm';
import { bigserial, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const envelopeConflicts = pgTable('envelope_conflicts', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  envelopeId: text('envelope_id').notNull(),
  origin: text('origin').notNull(),
  storedDigest: text('stored_digest').notNull(),
  offeredDigest: text('offered_digest').notNull(),
  at: instant('at').notNull(),
  requestId: text('request_id'),
});
export type EnvelopeConflictRow = InferSelectModel<typeof envelopeConflicts>;
