// The opaque handles this node gave out in its hits, each mapped to the case it stands for and
// the node it was given to: a detail request names a handle, and only that node may use it.
import type { HitBand } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { doublePrecision, pgTable, text } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { instant } from './columns.ts';

export const hitHandles = pgTable('hit_handles', {
  handle: text('handle').primaryKey(),
  /** The node whose query the hit answered. */
  origin: text('origin').notNull(),
  queryId: text('query_id').notNull(),
  caseId: text('case_id')
    .notNull()
    .references(() => cases.id),
  band: text('band').$type<HitBand>().notNull(),
  probability: doublePrecision('probability').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});
export type HitHandleRow = InferSelectModel<typeof hitHandles>;
