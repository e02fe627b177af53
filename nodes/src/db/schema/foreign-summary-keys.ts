// Blocking keys of the summaries received from other nodes (derived from the summary as held, at
// the tier received: nodes/src/cross-border/foreign-keys.ts), so that a report registered or
// changed here after a summary arrived is matched against the held summaries by an index probe,
// not a scan. Written when a summary is applied, replaced by a newer version, and deleted with the
// summary (retraction) through the cascade. Apart from match_keys so that the local matcher's
// per-key caps are not spent on reports it cannot score.
import type { InferSelectModel } from 'drizzle-orm';
import { foreignKey, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { foreignSummaries } from './foreign-summaries.ts';

export const foreignSummaryKeys = pgTable(
  'foreign_summary_keys',
  {
    origin: text('origin').notNull(),
    caseId: text('case_id').notNull(),
    side: text('side', { enum: ['missing', 'found'] }).notNull(),
    /** Which blocking rule made the key (see nodes/src/matching/keys.ts). */
    rule: text('rule').notNull(),
    key: text('key').notNull(),
    /** Estimated birth, in months since 1970-01: the order in which a capped key is read. */
    birth: integer('birth').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.origin, table.caseId, table.rule, table.key] }),
    // origin and case last: reads are index-only, as for match_keys.
    index('foreign_summary_keys_lookup').on(
      table.rule,
      table.key,
      table.side,
      table.birth,
      table.origin,
      table.caseId,
    ),
    foreignKey({
      columns: [table.origin, table.caseId],
      foreignColumns: [foreignSummaries.origin, foreignSummaries.caseId],
      name: 'foreign_summary_keys_summary',
    }).onDelete('cascade'),
  ],
);
export type ForeignSummaryKeyRow = InferSelectModel<typeof foreignSummaryKeys>;
