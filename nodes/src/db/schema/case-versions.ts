// Every version of every case, as it was: the history behind audit and exchange.
import { type InferSelectModel, sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { type CaseRow, cases } from './cases.ts';
import { instant } from './columns.ts';

export const caseVersions = pgTable(
  'case_versions',
  {
    caseId: text('case_id').notNull(),
    version: integer('version').notNull(),
    change: text('change', { enum: ['create', 'update', 'transition'] }).notNull(),
    /** The case row as it was at this version (dates as ISO strings). */
    snapshot: jsonb('snapshot').$type<Record<keyof CaseRow, unknown>>().notNull(),
    /**
     * The case's status at this version, taken from the snapshot by the database (so it can never
     * disagree with it): statistics read outcomes from an index instead of every snapshot.
     */
    status: text('status', { enum: cases.status.enumValues }).generatedAlwaysAs(sql`(snapshot ->> 'status')`),
    changedBy: text('changed_by').notNull(),
    changedAt: instant('changed_at').notNull(),
    reason: text('reason'),
  },
  (table) => [
    primaryKey({ columns: [table.caseId, table.version] }),
    // The status changes of each case in order, with when they happened: all the outcome
    // statistics need, read without touching the table.
    index('case_versions_transitions')
      .on(table.caseId, table.version, table.status, table.changedAt)
      .where(sql`${table.change} = 'transition'`),
  ],
);
export type CaseVersionRow = InferSelectModel<typeof caseVersions>;
