// One row per administrator approving an enrolment: dual control needs two different names.
import type { InferSelectModel } from 'drizzle-orm';
import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { enrolments } from './enrolments.ts';

export const enrolmentApprovals = pgTable(
  'enrolment_approvals',
  {
    enrolmentId: text('enrolment_id')
      .notNull()
      .references(() => enrolments.id),
    /** The administrator's name from their certificate. */
    admin: text('admin').notNull(),
    at: instant('at').notNull(),
  },
  // The key itself forbids the same administrator approving twice, even in a race.
  (table) => [primaryKey({ columns: [table.enrolmentId, table.admin] })],
);
export type EnrolmentApprovalRow = InferSelectModel<typeof enrolmentApprovals>;
