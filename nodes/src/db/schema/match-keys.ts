// Blocking keys of the reports the matcher knows (derived data, rebuilt from the case whenever its
// version changes): one row per (case, rule, key). Candidates for a report are the reports of the
// other side sharing a key, found through the (rule, key, side, birth) index — per key only the
// few closest in estimated birth month, so one common name cannot flood the candidates.
// No foreign key to cases: summaries received from other nodes are matched the same way.
import type { InferSelectModel } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

export const matchKeys = pgTable(
  'match_keys',
  {
    caseId: text('case_id').notNull(),
    side: text('side', { enum: ['missing', 'found'] }).notNull(),
    /** Which blocking rule made the key (see nodes/src/matching/keys.ts). */
    rule: text('rule').notNull(),
    key: text('key').notNull(),
    /** Estimated birth, in months since 1970-01: the order in which a capped key is read. */
    birth: integer('birth').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.caseId, table.rule, table.key] }),
    // case_id last: reads are index-only, and reports of one birth month come in a fixed order.
    index('match_keys_lookup').on(table.rule, table.key, table.side, table.birth, table.caseId),
  ],
);
export type MatchKeyRow = InferSelectModel<typeof matchKeys>;
