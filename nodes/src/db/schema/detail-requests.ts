// Detail requests, both ways, about a hit of a query (query_id, handle) or the other side of a
// cross-border match (candidate_id, this node's candidate). `outgoing`: asked by an officer of
// this node; the answer (the case at the full tier, or the denial's reason) is stored here.
// `incoming`: asked of this node for a case it holds, pending until an authorised officer
// decides, escalated to the administrators when its deadline passes. Each node has its own id
// for a request; `remote_id` is the requesting node's, which the response names.
import type { ConsentScope, DetailRequestStatus, FullCaseDetails, Purpose, Requester } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const detailRequests = pgTable(
  'detail_requests',
  {
    id: text('id').primaryKey(),
    direction: text('direction', { enum: ['outgoing', 'incoming'] }).notNull(),
    /** The node asked (outgoing) or asking (incoming). */
    peerNode: text('peer_node').notNull(),
    /** The requesting node's id for the request (equal to `id` when outgoing). */
    remoteId: text('remote_id').notNull(),
    queryId: text('query_id'),
    handle: text('handle'),
    /** About a cross-border match: this node's candidate for it. */
    candidateId: text('candidate_id'),
    /** Incoming: the case asked for. Outgoing about a cross-border match: this node's case of it. */
    caseId: text('case_id'),
    /** Outgoing: the asking unit (its officers see the request and its answer). */
    unitId: text('unit_id'),
    purpose: text('purpose').$type<Purpose>().notNull(),
    legalBasis: text('legal_basis').$type<ConsentScope['legalBasis']>().notNull(),
    reason: text('reason').notNull(),
    caseReference: text('case_reference').notNull(),
    requestedBy: jsonb('requested_by').$type<Requester>().notNull(),
    status: text('status').$type<DetailRequestStatus>().notNull().default('pending'),
    /** Incoming: past it, a pending request escalates to the node's administrators. */
    deadline: instant('deadline'),
    escalatedAt: instant('escalated_at'),
    decidedAt: instant('decided_at'),
    decidedBy: text('decided_by'),
    decisionReason: text('decision_reason'),
    /** Outgoing, approved: what the owning node released. */
    details: jsonb('details').$type<FullCaseDetails>(),
    /** The request's envelope (outgoing: sent; incoming: received). */
    envelopeId: text('envelope_id').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('detail_requests_remote').on(table.direction, table.peerNode, table.remoteId),
    index('detail_requests_status').on(table.direction, table.status, table.createdAt),
    index('detail_requests_candidate').on(table.candidateId, table.createdAt),
  ],
);
export type DetailRequestRow = InferSelectModel<typeof detailRequests>;
