// The opaque handles this node gave out in its hits, each mapped to the case it stands for and
// the node it was given to: a detail request names a handle, and only that node may use it.
// A handle lives until `expires_at` (KHOJ_HIT_HANDLE_DAYS after the answer), its case closes or
// stops being shared for the query's purpose, or the query is withdrawn; the sweep in
// queries/handles.ts deletes it then, so the mapping does not outlive its use.
import type { HitBand, Purpose } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { doublePrecision, index, pgTable, text } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { instant } from './columns.ts';

export const hitHandles = pgTable(
  'hit_handles',
  {
    handle: text('handle').primaryKey(),
    /** The node whose query the hit answered. */
    origin: text('origin').notNull(),
    queryId: text('query_id').notNull(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    band: text('band').$type<HitBand>().notNull(),
    probability: doublePrecision('probability').notNull(),
    /** The query's purpose: the handle dies when its case is no longer shared for it. */
    purpose: text('purpose').$type<Purpose>().notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    expiresAt: instant('expires_at').notNull(),
  },
  (table) => [
    index('hit_handles_expiry').on(table.expiresAt),
    index('hit_handles_query').on(table.origin, table.queryId),
  ],
);
export type HitHandleRow = InferSelectModel<typeof hitHandles>;
