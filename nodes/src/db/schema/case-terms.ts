// The words a case can be searched by (its `search_terms`, one row per word) beside the case's
// creation time, so that "the newest 50 cases with the word das" is a backward range scan of the
// primary key that stops after 50 rows, instead of a sort of every case with that word. Written
// with the case in the same transaction (cases/reports.store.ts, interchange/import.ts). The
// case's district rides along in the key so that "… in Malda" is filtered in the index, not by
// fetching the cases of every other district.
// No foreign key to cases: its check would cost a lookup and a row lock per word on a bulk
// import, and searches join to cases, so a word without its case is never shown.
import type { InferSelectModel } from 'drizzle-orm';
import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const caseTerms = pgTable(
  'case_terms',
  {
    /** One of the case's search terms: lower-cased, as `searchTermsFor` made it. */
    term: text('term').notNull(),
    /** The case's created_at (never changes), the order lists are shown in. */
    createdAt: instant('created_at').notNull(),
    caseId: text('case_id').notNull(),
    /** The case's district, '' when it has none (a key column cannot be NULL). */
    district: text('district').notNull().default(''),
  },
  // (term, created_at, case_id) alone identifies a row; district is in the key only to be read
  // from the index (drizzle cannot declare INCLUDE columns).
  (table) => [primaryKey({ columns: [table.term, table.createdAt, table.caseId, table.district] })],
);
export type CaseTermRow = InferSelectModel<typeof caseTerms>;
