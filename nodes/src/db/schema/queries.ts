// Hit / no-hit queries this node's anti-trafficking officers asked: what was asked, why, and of
// which nodes (the answers are in query_answers, their hit handles in query_hits).
import type { CaseKind, ConsentScope, Purpose, QueryChild, Requester } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { date, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import type { PlaceValue } from './cases.ts';
import { instant } from './columns.ts';

export const queries = pgTable(
  'queries',
  {
    id: text('id').primaryKey(),
    /** The asking unit: its officers see the query and request details for its hits. */
    unitId: text('unit_id').notNull(),
    askedBy: jsonb('asked_by').$type<Requester>().notNull(),
    lookingFor: text('looking_for').$type<CaseKind>().notNull(),
    child: jsonb('child').$type<QueryChild>().notNull(),
    place: jsonb('place').$type<PlaceValue>().notNull(),
    eventDate: date('event_date', { mode: 'string' }).notNull(),
    purpose: text('purpose').$type<Purpose>().notNull(),
    legalBasis: text('legal_basis').$type<ConsentScope['legalBasis']>().notNull(),
    caseReference: text('case_reference').notNull(),
    /** As the officer gave them: node ids, patterns or `*` (the envelope's recipients). */
    targets: text('targets').array().notNull(),
    /** The member nodes the query was encrypted to: each is expected to answer. */
    sentTo: text('sent_to').array().notNull(),
    envelopeId: text('envelope_id').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    /** Set when the unit withdrew the query; answers arriving later are refused. */
    withdrawnAt: instant('withdrawn_at'),
    /** The officer (user id) who withdrew it, and why. */
    withdrawnBy: text('withdrawn_by'),
    withdrawReason: text('withdraw_reason'),
  },
  (table) => [index('queries_unit').on(table.unitId, table.createdAt)],
);
export type QueryRow = InferSelectModel<typeof queries>;
