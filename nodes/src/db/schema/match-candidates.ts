// Candidate pairs the matcher proposed (a missing and a found report that may be the same child),
// with the score, the explanation an officer reads, and the officer's decision. One row per pair:
// a rejected pair keeps the material digests both reports had when it was rejected, and is
// proposed again only when one of them changes.
import type { InferSelectModel } from 'drizzle-orm';
import { doublePrecision, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { instant } from './columns.ts';

export const matchCandidates = pgTable(
  'match_candidates',
  {
    id: text('id').primaryKey(),
    missingCaseId: text('missing_case_id')
      .notNull()
      .references(() => cases.id),
    foundCaseId: text('found_case_id')
      .notNull()
      .references(() => cases.id),
    /** Calibrated probability that both reports are the same child, 0..1. */
    probability: doublePrecision('probability').notNull(),
    /** Fellegi–Sunter log2 likelihood ratio (prior included). */
    weight: doublePrecision('weight').notNull(),
    /** The steps of the score: prior, then each field's level and weight. */
    explanation: jsonb('explanation').$type<unknown[]>().notNull(),
    /** The field comparisons behind the score: parameters are learnt from decided pairs' vectors. */
    comparisons: jsonb('comparisons').$type<unknown[]>().notNull(),
    status: text('status', { enum: ['proposed', 'confirmed', 'rejected'] })
      .notNull()
      .default('proposed'),
    /** Why an officer rejected (or confirmed) the pair. */
    reason: text('reason'),
    decidedBy: text('decided_by'),
    decidedAt: instant('decided_at'),
    /** Material digests of both reports when the pair was last scored or decided. */
    missingDigest: text('missing_digest').notNull(),
    foundDigest: text('found_digest').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('match_candidates_pair').on(table.missingCaseId, table.foundCaseId),
    index('match_candidates_found').on(table.foundCaseId),
  ],
);
export type MatchCandidateRow = InferSelectModel<typeof matchCandidates>;
