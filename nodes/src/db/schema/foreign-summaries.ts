// Case summaries received from other nodes: the newest version per origin and case.
import type { CaseSummary, FieldsTier, Purpose } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const foreignSummaries = pgTable(
  'foreign_summaries',
  {
    origin: text('origin').notNull(),
    caseId: text('case_id').notNull(),
    version: integer('version').notNull(),
    envelopeId: text('envelope_id').notNull(),
    summary: jsonb('summary').$type<CaseSummary>().notNull(),
    purposes: jsonb('purposes').$type<Purpose[]>().notNull(),
    fields: text('fields').$type<FieldsTier>().notNull(),
    receivedAt: instant('received_at').notNull().defaultNow(),
    /**
     * When the consent scope expires: not matched after it, even before the origin's retraction
     * arrives. Null for summaries received before it was recorded (they have no blocking keys
     * either, and are matched only when a newer version arrives).
     */
    expiresAt: instant('expires_at'),
  },
  (table) => [primaryKey({ columns: [table.origin, table.caseId] })],
);
export type ForeignSummaryRow = InferSelectModel<typeof foreignSummaries>;
