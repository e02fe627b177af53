// Envelopes the hub accepted: ciphertext and routing metadata only — the hub never holds a
// child's personal data in the clear.

import type { Envelope, Receipt } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { bigserial, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant, jsonText } from './columns.ts';

export const envelopes = pgTable('envelopes', {
  id: text('id').primaryKey(),
  /** Arrival order, so inboxes deliver oldest first. */
  seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
  origin: text('origin').notNull(),
  type: text('type').notNull(),
  expiresAt: instant('expires_at').notNull(),
  digest: text('digest').notNull(),
  /** The envelope's JSON as accepted (text: see jsonText). */
  body: jsonText<Envelope>('body').notNull(),
  receipt: jsonb('receipt').$type<Receipt>().notNull(),
  traceparent: text('traceparent'),
  receivedAt: instant('received_at').notNull().defaultNow(),
});
export type EnvelopeRow = InferSelectModel<typeof envelopes>;
