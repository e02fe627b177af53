// Every version of every case, as it was: the history behind audit and exchange.
import type { InferSelectModel } from 'drizzle-orm';
import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { CaseRow } from './cases.ts';
import { instant } from './columns.ts';

export const caseVersions = pgTable(
  'case_versions',
  {
    caseId: text('case_id').notNull(),
    version: integer('version').notNull(),
    change: text('change', { enum: ['create', 'update', 'transition'] }).notNull(),
    /** The case row as it was at this version (dates as ISO strings). */
    snapshot: jsonb('snapshot').$type<Record<keyof CaseRow, unknown>>().notNull(),
    changedBy: text('changed_by').notNull(),
    changedAt: instant('changed_at').notNull(),
    reason: text('reason'),
  },
  (table) => [primaryKey({ columns: [table.caseId, table.version] })],
);
export type CaseVersionRow = InferSelectModel<typeof caseVersions>;
