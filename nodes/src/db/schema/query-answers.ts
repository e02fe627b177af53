// Each node's answer to one of this node's queries: hit or no hit (the hits' handles are in
// query_hits). One row per query and node: a node answers once.
import type { InferSelectModel } from 'drizzle-orm';
import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { queries } from './queries.ts';

export const queryAnswers = pgTable(
  'query_answers',
  {
    queryId: text('query_id')
      .notNull()
      .references(() => queries.id),
    nodeId: text('node_id').notNull(),
    outcome: text('outcome', { enum: ['hit', 'no_hit'] }).notNull(),
    envelopeId: text('envelope_id').notNull(),
    answeredAt: instant('answered_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.queryId, table.nodeId] })],
);
export type QueryAnswerRow = InferSelectModel<typeof queryAnswers>;
