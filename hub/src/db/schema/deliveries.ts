// One row per (envelope, recipient): a node's inbox is its unacknowledged deliveries.
import type { InferSelectModel } from 'drizzle-orm';
import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { envelopes } from './envelopes.ts';

export const deliveries = pgTable(
  'deliveries',
  {
    envelopeId: text('envelope_id')
      .notNull()
      .references(() => envelopes.id, { onDelete: 'cascade' }),
    recipient: text('recipient').notNull(),
    ackedAt: instant('acked_at'),
  },
  (table) => [
    primaryKey({ columns: [table.envelopeId, table.recipient] }),
    index('deliveries_pending').on(table.recipient, table.ackedAt),
  ],
);
export type DeliveryRow = InferSelectModel<typeof deliveries>;
