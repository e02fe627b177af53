// The public handle of a case shown as a notice: a random id, so that nothing a notice shows
// leads back to the case id. Made the first time the case appears in a public search and kept,
// so that a notice's id stays the same.
import type { InferSelectModel } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { instant } from './columns.ts';

export const intakeNotices = pgTable('intake_notices', {
  noticeId: text('notice_id').primaryKey(),
  caseId: text('case_id')
    .notNull()
    .unique()
    .references(() => cases.id),
  createdAt: instant('created_at').notNull(),
});
export type IntakeNoticeRow = InferSelectModel<typeof intakeNotices>;
