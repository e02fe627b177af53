// Citizen reports (a missing child, or a child seen), one per case they created: the reporter's
// contact and words, and the verifying officer's decision. Kept apart from `cases` because none
// of it may travel with the case — not to other nodes, not to a public notice.
import type { InferSelectModel } from 'drizzle-orm';
import { doublePrecision, index, pgTable, text } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { instant } from './columns.ts';

export const intakeSubmissions = pgTable(
  'intake_submissions',
  {
    caseId: text('case_id')
      .primaryKey()
      .references(() => cases.id),
    /** What the citizen quotes when calling (`IN-WB-7K3M-9QXA`). */
    reference: text('reference').notNull().unique(),
    source: text('source', { enum: ['missing_report', 'sighting'] }).notNull(),
    reporterName: text('reporter_name').notNull(),
    reporterPhone: text('reporter_phone').notNull(),
    reporterRelation: text('reporter_relation'),
    description: text('description'),
    /** WGS 84 degrees, as the reporter's device gave them. */
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    submittedAt: instant('submitted_at').notNull(),
    decision: text('decision', { enum: ['pending', 'accepted', 'rejected'] })
      .notNull()
      .default('pending'),
    decidedBy: text('decided_by'),
    decidedAt: instant('decided_at'),
    decisionReason: text('decision_reason'),
  },
  (table) => [index('intake_submissions_queue').on(table.decision, table.submittedAt)],
);
export type IntakeSubmissionRow = InferSelectModel<typeof intakeSubmissions>;
