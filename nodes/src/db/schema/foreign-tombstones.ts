// What is left of a foreign summary once its origin retracted it: enough to ignore a summary of
// that version or older arriving late, and nothing about the child.
import type { InferSelectModel } from 'drizzle-orm';
import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const foreignTombstones = pgTable(
  'foreign_tombstones',
  {
    origin: text('origin').notNull(),
    caseId: text('case_id').notNull(),
    /** Summaries up to this version are withdrawn. */
    version: integer('version').notNull(),
    reason: text('reason').notNull(),
    envelopeId: text('envelope_id').notNull(),
    retractedAt: instant('retracted_at').notNull(),
  },
  (table) => [primaryKey({ columns: [table.origin, table.caseId] })],
);
export type ForeignTombstoneRow = InferSelectModel<typeof foreignTombstones>;
