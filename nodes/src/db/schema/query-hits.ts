// The opaque handles another node gave in its hits to this node's queries, with their score band:
// what an officer names in a detail request. The handle means nothing here; the answering node
// maps it to its case.
import type { HitBand } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { queries } from './queries.ts';

export const queryHits = pgTable(
  'query_hits',
  {
    nodeId: text('node_id').notNull(),
    handle: text('handle').notNull(),
    queryId: text('query_id')
      .notNull()
      .references(() => queries.id),
    band: text('band').$type<HitBand>().notNull(),
    /** When the answering node stops honouring the handle (null: an answer that did not say). */
    expiresAt: instant('expires_at'),
  },
  (table) => [
    primaryKey({ columns: [table.nodeId, table.handle] }),
    index('query_hits_handle').on(table.handle),
    index('query_hits_query').on(table.queryId),
  ],
);
export type QueryHitRow = InferSelectModel<typeof queryHits>;
