// Hit / no-hit queries and detail requests, as a node's officers use them. An anti-trafficking
// officer asks the federation about a child (`POST /v1/queries`); each node that accepts the
// purpose answers hit (opaque handles with score bands) or no hit. For a hit the officer asks the
// owning node for details (`POST /v1/detail-requests`); an authorised officer there approves or
// denies it before a deadline, after which it escalates to the node's administrators. The same
// resource shows a node's outgoing requests (with the answer) and its incoming ones (to decide).
import { createRoute, z } from '@hono/zod-openapi';
import { PERMISSION_KEY } from './access-api.ts';
import { LegalBasis, Purpose } from './consent.ts';
import { CrossBorderId } from './cross-border.ts';
import { EnvelopeRecipient } from './envelope.ts';
import { errorResponses } from './errors.ts';
import { CaseId, EnvelopeId, NodeId } from './ids.ts';
import { jsonResponse, trimmedText } from './openapi-parts.ts';
import {
  DetailRequestId,
  FullCaseDetails,
  HitBand,
  HitHandle,
  QueryFields,
  QueryId,
  Requester,
} from './queries.ts';

export const QueryInput = QueryFields.extend({
  /** Node ids, patterns (`IN-*`) or `*`: which members to ask; the hub leaves out those whose policy refuses the purpose. */
  targets: z.array(EnvelopeRecipient).min(1).max(20).default(['*']),
}).openapi('QueryInput');
export type QueryInput = z.input<typeof QueryInput>;

/** One node's answer: still awaited, or hit (with its handles) or no hit. */
export const QueryAnswer = z
  .object({
    nodeId: NodeId,
    outcome: z.enum(['awaiting', 'hit', 'no_hit']),
    hits: z.array(
      z.object({
        handle: HitHandle,
        band: HitBand,
        /** When the answering node stops honouring the handle (null: it did not say). */
        expiresAt: z.iso.datetime({ offset: true }).nullable(),
      }),
    ),
    answeredAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .openapi('QueryAnswer');
export type QueryAnswer = z.infer<typeof QueryAnswer>;

export const Query = QueryFields.extend({
  queryId: QueryId,
  targets: z.array(EnvelopeRecipient),
  askedBy: Requester,
  envelopeId: EnvelopeId,
  createdAt: z.iso.datetime({ offset: true }),
  /** One entry per node the query was sent to, in node order. */
  answers: z.array(QueryAnswer),
  /** Set once the unit withdrew the query: the answering nodes were told to forget it. */
  withdrawnAt: z.iso.datetime({ offset: true }).nullable(),
  withdrawnBy: z.string().nullable(),
  withdrawReason: z.string().nullable(),
}).openapi('Query');
export type Query = z.infer<typeof Query>;

export const createQueryRoute = createRoute({
  method: 'post',
  path: '/v1/queries',
  operationId: 'createQuery',
  [PERMISSION_KEY]: 'query.ask',
  summary: 'Ask the federation whether any node holds a report matching this child (hit / no hit)',
  request: { body: { required: true, content: { 'application/json': { schema: QueryInput } } } },
  responses: {
    201: jsonResponse(Query, 'Stored, audited and queued for the hub'),
    ...errorResponses(400, 401, 403, 409),
  },
});

export const listQueriesRoute = createRoute({
  method: 'get',
  path: '/v1/queries',
  operationId: 'listQueries',
  [PERMISSION_KEY]: 'query.ask',
  summary: "The queries of the caller's unit, newest first, with the answers so far",
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }) },
  responses: {
    200: jsonResponse(z.object({ queries: z.array(Query) }).openapi('QueryList'), 'Queries'),
    ...errorResponses(400, 401, 403),
  },
});

export const getQueryRoute = createRoute({
  method: 'get',
  path: '/v1/queries/{queryId}',
  operationId: 'getQuery',
  [PERMISSION_KEY]: 'query.ask',
  summary: 'A query of your unit with each node’s answer so far',
  request: { params: z.object({ queryId: QueryId }) },
  responses: { 200: jsonResponse(Query, 'The query'), ...errorResponses(400, 401, 403, 404) },
});

const Withdrawal = z.object({ reason: trimmedText(1000) }).openapi('Withdrawal');

export const withdrawQueryRoute = createRoute({
  method: 'post',
  path: '/v1/queries/{queryId}/withdraw',
  operationId: 'withdrawQuery',
  [PERMISSION_KEY]: 'query.ask',
  summary:
    'Withdraw a query of your unit: the answering nodes forget it and its hits, and cancel its pending detail requests',
  request: {
    params: z.object({ queryId: QueryId }),
    body: { required: true, content: { 'application/json': { schema: Withdrawal } } },
  },
  responses: {
    200: jsonResponse(Query, 'Withdrawn, audited and queued for the answering nodes'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

/**
 * `withdrawn`: by the requesting unit (alone, or with its query) before a decision; `refused`: by
 * the owning node without a decision (the hit had expired or was unknown there; the reason starts
 * with the code, e.g. `ERR_HIT_EXPIRED: …`).
 */
export const DETAIL_REQUEST_STATUSES = [
  'pending',
  'escalated',
  'approved',
  'denied',
  'withdrawn',
  'refused',
] as const;
export const DetailRequestStatus = z.enum(DETAIL_REQUEST_STATUSES).openapi('DetailRequestStatus');
export type DetailRequestStatus = z.infer<typeof DetailRequestStatus>;

export const DetailRequestInput = z
  .object({
    /** A hit handle from an answer to one of your unit's queries. */
    handle: HitHandle,
    reason: trimmedText(1000),
    legalBasis: LegalBasis,
    purpose: Purpose,
  })
  .openapi('DetailRequestInput');
export type DetailRequestInput = z.input<typeof DetailRequestInput>;

export const DetailRequest = z
  .object({
    /** This node's id for the request (the two nodes each have their own). */
    requestId: DetailRequestId,
    /** `outgoing`: asked by this node; `incoming`: asked of this node, to approve or deny. */
    direction: z.enum(['outgoing', 'incoming']),
    /** The node asked (outgoing) or asking (incoming). */
    peerNode: NodeId,
    /** A request about a query hit: the query and the hit's handle (null for a cross-border match). */
    queryId: QueryId.nullable(),
    handle: HitHandle.nullable(),
    /** A request about a cross-border match: this node's candidate for it. */
    candidateId: CrossBorderId.nullable(),
    /**
     * Incoming: the case asked for, at the owning node. Outgoing about a cross-border match: this
     * node's case of the match. Null on outgoing requests about a hit.
     */
    caseId: CaseId.nullable(),
    purpose: Purpose,
    legalBasis: LegalBasis,
    reason: z.string(),
    caseReference: z.string(),
    requestedBy: Requester,
    status: DetailRequestStatus,
    /** Incoming: when it escalates to the node's administrators unless decided. */
    deadline: z.iso.datetime({ offset: true }).nullable(),
    escalatedAt: z.iso.datetime({ offset: true }).nullable(),
    decidedAt: z.iso.datetime({ offset: true }).nullable(),
    /** Incoming: the officer who decided (a user id at this node). */
    decidedBy: z.string().nullable(),
    /** The denial's reason, or the approval's note. */
    decisionReason: z.string().nullable(),
    /** Outgoing, approved: the case at the `full` tier, as the owning node released it. */
    details: FullCaseDetails.nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .openapi('DetailRequest');
export type DetailRequest = z.infer<typeof DetailRequest>;

export const createDetailRequestRoute = createRoute({
  method: 'post',
  path: '/v1/detail-requests',
  operationId: 'createDetailRequest',
  [PERMISSION_KEY]: 'query.ask',
  summary: 'Ask the node that gave a hit for the case at the full tier (it approves or denies)',
  request: { body: { required: true, content: { 'application/json': { schema: DetailRequestInput } } } },
  responses: {
    201: jsonResponse(DetailRequest, 'Stored, audited and queued for the owning node'),
    ...errorResponses(400, 401, 403, 404, 409, 410),
  },
});

export const listDetailRequestsRoute = createRoute({
  method: 'get',
  path: '/v1/detail-requests',
  operationId: 'listDetailRequests',
  // Outgoing requests need `query.ask` (the caller's unit's), incoming ones `detail.decide`.
  [PERMISSION_KEY]: 'signed-in',
  summary:
    "Detail requests you may see: your unit's outgoing ones, and incoming ones you may decide, newest first",
  request: {
    query: z.object({
      status: DetailRequestStatus.optional(),
      direction: z.enum(['outgoing', 'incoming']).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({ requests: z.array(DetailRequest) }).openapi('DetailRequestList'),
      'Detail requests',
    ),
    ...errorResponses(400, 401, 403),
  },
});

const DetailRequestParams = z.object({ requestId: DetailRequestId });

export const getDetailRequestRoute = createRoute({
  method: 'get',
  path: '/v1/detail-requests/{requestId}',
  operationId: 'getDetailRequest',
  [PERMISSION_KEY]: 'signed-in',
  summary: 'One detail request, with the answer (outgoing) or the case it is about (incoming)',
  request: { params: DetailRequestParams },
  responses: { 200: jsonResponse(DetailRequest, 'The request'), ...errorResponses(400, 401, 403, 404) },
});

export const approveDetailRequestRoute = createRoute({
  method: 'post',
  path: '/v1/detail-requests/{requestId}/approve',
  operationId: 'approveDetailRequest',
  [PERMISSION_KEY]: 'detail.decide',
  summary:
    'Approve an incoming request: the case at the full tier goes, encrypted, to the requesting node only',
  request: {
    params: DetailRequestParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ note: trimmedText(500).optional() }).openapi('DetailApproval'),
        },
      },
    },
  },
  responses: {
    200: jsonResponse(DetailRequest, 'Approved and queued for the requesting node'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const denyDetailRequestRoute = createRoute({
  method: 'post',
  path: '/v1/detail-requests/{requestId}/deny',
  operationId: 'denyDetailRequest',
  [PERMISSION_KEY]: 'detail.decide',
  summary: 'Deny an incoming request with a reason, which goes to the requesting node',
  request: {
    params: DetailRequestParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ reason: trimmedText(1000) }).openapi('DetailDenial'),
        },
      },
    },
  },
  responses: {
    200: jsonResponse(DetailRequest, 'Denied and queued for the requesting node'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const withdrawDetailRequestRoute = createRoute({
  method: 'post',
  path: '/v1/detail-requests/{requestId}/withdraw',
  operationId: 'withdrawDetailRequest',
  [PERMISSION_KEY]: 'query.ask',
  summary: 'Withdraw a pending outgoing request of your unit: the owning node may no longer decide it',
  request: {
    params: DetailRequestParams,
    body: { required: true, content: { 'application/json': { schema: Withdrawal } } },
  },
  responses: {
    200: jsonResponse(DetailRequest, 'Withdrawn, audited and queued for the owning node'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const queryRoutes = [
  createQueryRoute,
  listQueriesRoute,
  getQueryRoute,
  createDetailRequestRoute,
  listDetailRequestsRoute,
  getDetailRequestRoute,
  approveDetailRequestRoute,
  denyDetailRequestRoute,
  withdrawQueryRoute,
  withdrawDetailRequestRoute,
] as const;
