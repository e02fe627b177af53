// Cross-border candidates: a report of this node and a case of another node that may be the same
// child. `found_here`: this node matched a summary it received (the foreign side is the origin's
// case id and version); `notified`: another node matched this node's shared case and sent a
// match notice (the foreign side is that node's opaque reference). Closed, not deleted, when the
// summary is retracted, so officers can see what was proposed and why it ended.
import type { InferSelectModel } from 'drizzle-orm';
import { doublePrecision, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { instant } from './columns.ts';

export const crossBorderCandidates = pgTable(
  'cross_border_candidates',
  {
    id: text('id').primaryKey(),
    role: text('role', { enum: ['found_here', 'notified'] }).notNull(),
    localCaseId: text('local_case_id')
      .notNull()
      .references(() => cases.id),
    foreignOrigin: text('foreign_origin').notNull(),
    foreignReference: text('foreign_reference').notNull(),
    foreignVersion: integer('foreign_version').notNull(),
    probability: doublePrecision('probability').notNull(),
    band: text('band', { enum: ['alert', 'review'] }).notNull(),
    explanation: jsonb('explanation').$type<unknown[]>().notNull(),
    status: text('status', { enum: ['proposed', 'closed'] })
      .notNull()
      .default('proposed'),
    closedReason: text('closed_reason'),
    /** found_here: the match notice sent to the origin for the latest score. */
    noticeEnvelopeId: text('notice_envelope_id'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('cross_border_candidates_pair').on(
      table.role,
      table.localCaseId,
      table.foreignOrigin,
      table.foreignReference,
    ),
    index('cross_border_candidates_foreign').on(table.foreignOrigin, table.foreignReference),
  ],
);
export type CrossBorderCandidateRow = InferSelectModel<typeof crossBorderCandidates>;
