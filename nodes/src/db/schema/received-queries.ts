// Queries other nodes asked this node, as audited: who asked, for what purpose, on which legal
// basis and case reference, and what this node answered. The child's description is not kept:
// it was needed only to match, and the answer carries no personal data.
import type { CaseKind, ConsentScope, Purpose, Requester } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const receivedQueries = pgTable(
  'received_queries',
  {
    origin: text('origin').notNull(),
    queryId: text('query_id').notNull(),
    envelopeId: text('envelope_id').notNull(),
    askedBy: jsonb('asked_by').$type<Requester>().notNull(),
    lookingFor: text('looking_for').$type<CaseKind>().notNull(),
    purpose: text('purpose').$type<Purpose>().notNull(),
    legalBasis: text('legal_basis').$type<ConsentScope['legalBasis']>().notNull(),
    caseReference: text('case_reference').notNull(),
    outcome: text('outcome', { enum: ['hit', 'no_hit'] }).notNull(),
    hits: integer('hits').notNull(),
    receivedAt: instant('received_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.origin, table.queryId] })],
);
export type ReceivedQueryRow = InferSelectModel<typeof receivedQueries>;
