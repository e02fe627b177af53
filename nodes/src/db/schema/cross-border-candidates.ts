// Cross-border candidates: a report of this node and a case of another node that may be the same
// child. `found_here`: this node matched a summary it received (the foreign side is the origin's
// case id and version); `notified`: another node matched this node's shared case and sent a
// match notice (the foreign side is that node's opaque reference). Each side confirms on its own
// (`confirmed_here_at`, and `confirmed_there_at` when the other's notice arrives); `confirmed` once
// both have. Closed, not deleted, when rejected on either side, withdrawn by the noticing node or
// the summary is retracted, so officers can see what was proposed and why it ended.
import type { RepatriationEntry } from '@khoj/contracts';
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
    status: text('status', { enum: ['proposed', 'confirmed', 'closed'] })
      .notNull()
      .default('proposed'),
    closedReason: text('closed_reason'),
    /** found_here: the match notice sent to the origin for the latest score. */
    noticeEnvelopeId: text('notice_envelope_id'),
    confirmedHereAt: instant('confirmed_here_at'),
    confirmedHereBy: text('confirmed_here_by'),
    confirmedHereNote: text('confirmed_here_note'),
    confirmedThereAt: instant('confirmed_there_at'),
    /** Repatriation steps recorded on the confirmed match, by either node, in arrival order. */
    repatriation: jsonb('repatriation').$type<RepatriationEntry[]>().notNull().default([]),
    /** Workflow notices (confirmed, rejected, withdrawn, progress) sent for it: their envelope version. */
    noticesSent: integer('notices_sent').notNull().default(0),
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
