// Every envelope this node has taken from its inbox, keyed on the envelope id: applying an
// envelope inserts here in the same transaction as its effect, so a redelivery has none.
import type { InferSelectModel } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const inboxLog = pgTable('inbox_log', {
  envelopeId: text('envelope_id').primaryKey(),
  origin: text('origin').notNull(),
  type: text('type').notNull(),
  outcome: text('outcome', { enum: ['applied', 'rejected'] }).notNull(),
  /** Why a rejected envelope was rejected (a stable code and message). */
  reason: text('reason'),
  receivedAt: instant('received_at').notNull().defaultNow(),
});
export type InboxLogRow = InferSelectModel<typeof inboxLog>;
