// Dated progress entries on a case: admission, CWC orders, care plan, education, health,
// counselling, home study, restoration / transfer / repatriation, follow-ups.
import type { InferSelectModel } from 'drizzle-orm';
import { date, index, pgTable, text } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { instant } from './columns.ts';

export const caseProgress = pgTable(
  'case_progress',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    type: text('type').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    note: text('note').notNull(),
    authorId: text('author_id').notNull(),
    unitId: text('unit_id').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [index('case_progress_case').on(table.caseId, table.date)],
);
export type CaseProgressRow = InferSelectModel<typeof caseProgress>;
