// Cross-border matches as a node's officers work them: the candidates for a report among other
// nodes' cases (found here against a received summary, or notified by the node that found them),
// and the two-sided workflow on one — a detail request for the other side's case at the full tier
// (approved or denied at the owning node, see queries-api.ts), confirmation or rejection on each
// side (a match is confirmed when both sides have confirmed; a rejection closes both), and the
// repatriation steps recorded on a confirmed match, which become progress of the case on both
// nodes. Each decision goes to the other node as a `match.notice` (cross-border.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { PERMISSION_KEY } from './access-api.ts';
import { CaseKind } from './case-summary.ts';
import { LegalBasis, Purpose } from './consent.ts';
import { CrossBorderId, RepatriationStep } from './cross-border.ts';
import { errorResponses } from './errors.ts';
import { CaseId, NodeId } from './ids.ts';
import { ExplanationStep } from './matching-api.ts';
import { calendarDate, jsonResponse, trimmedText } from './openapi-parts.ts';
import { DetailRequestId, FullCaseDetails } from './queries.ts';
import { DetailRequest, DetailRequestStatus } from './queries-api.ts';

/** A repatriation step as recorded on the match, by this node or the other. */
export const RepatriationEntry = z
  .object({
    step: RepatriationStep,
    date: z.iso.date(),
    note: z.string(),
    /** The node whose officer recorded it. */
    recordedBy: NodeId,
    recordedAt: z.iso.datetime({ offset: true }),
  })
  .openapi('RepatriationEntry');
export type RepatriationEntry = z.infer<typeof RepatriationEntry>;

export const CrossBorderCandidate = z
  .object({
    candidateId: CrossBorderId,
    /**
     * `found_here`: this node matched a summary it received against its report; `notified`: the
     * other node did, against this node's report, and sent a match notice.
     */
    role: z.enum(['found_here', 'notified']),
    localCaseId: CaseId,
    localKind: CaseKind,
    /** The other node and its reference: its case id (found_here) or its candidate id (notified). */
    foreign: z.object({ origin: NodeId, reference: z.string(), version: z.number().int() }),
    probability: z.number().min(0).max(1),
    band: z.enum(['alert', 'review']),
    /** `confirmed`: both sides confirmed; `closed`: rejected, withdrawn or retracted (see closedReason). */
    status: z.enum(['proposed', 'confirmed', 'closed']),
    closedReason: z.string().nullable(),
    /** This node's confirmation, by whom and when. */
    confirmedHere: z
      .object({ by: z.string(), at: z.iso.datetime({ offset: true }), note: z.string().nullable() })
      .nullable(),
    /** The other node's confirmation, when its notice arrived. */
    confirmedThere: z.object({ at: z.iso.datetime({ offset: true }) }).nullable(),
    /** This node's latest request for the other side's case at the full tier. */
    detailRequest: z.object({ requestId: DetailRequestId, status: DetailRequestStatus }).nullable(),
    /** The other side's case at the full tier, once a detail request was approved. */
    details: FullCaseDetails.nullable(),
    repatriation: z.array(RepatriationEntry),
    explanation: z.array(ExplanationStep),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .openapi('CrossBorderCandidate');
export type CrossBorderCandidate = z.infer<typeof CrossBorderCandidate>;

export const listCrossBorderCandidatesRoute = createRoute({
  method: 'get',
  path: '/v1/reports/{caseId}/cross-border-candidates',
  operationId: 'listCrossBorderCandidates',
  [PERMISSION_KEY]: 'match.read',
  summary: "Candidates for a report among other nodes' cases, with each score's explanation",
  request: {
    params: z.object({ caseId: CaseId }),
    query: z.object({ status: z.enum(['proposed', 'confirmed', 'closed']).optional() }),
  },
  responses: {
    200: jsonResponse(
      z
        .object({ caseId: CaseId, candidates: z.array(CrossBorderCandidate) })
        .openapi('CrossBorderCandidateList'),
      'Candidates, best first',
    ),
    ...errorResponses(400, 401, 403, 404),
  },
});

const CandidateParams = z.object({ candidateId: CrossBorderId });

export const getCrossBorderCandidateRoute = createRoute({
  method: 'get',
  path: '/v1/cross-border-candidates/{candidateId}',
  operationId: 'getCrossBorderCandidate',
  [PERMISSION_KEY]: 'match.read',
  summary: "One cross-border candidate, with both sides' decisions, the details received and repatriation",
  request: { params: CandidateParams },
  responses: {
    200: jsonResponse(CrossBorderCandidate, 'The candidate'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const CrossBorderDetailRequestInput = z
  .object({
    reason: trimmedText(1000),
    legalBasis: LegalBasis,
    purpose: Purpose,
    /** This side's reference for the owning node's audit (FIR, GD or case number). */
    caseReference: trimmedText(100),
  })
  .openapi('CrossBorderDetailRequestInput');
export type CrossBorderDetailRequestInput = z.input<typeof CrossBorderDetailRequestInput>;

export const requestCrossBorderDetailsRoute = createRoute({
  method: 'post',
  path: '/v1/cross-border-candidates/{candidateId}/detail-requests',
  operationId: 'requestCrossBorderDetails',
  [PERMISSION_KEY]: 'match.decide',
  summary: 'Ask the other node for its side of the match at the full tier (it approves or denies)',
  request: {
    params: CandidateParams,
    body: { required: true, content: { 'application/json': { schema: CrossBorderDetailRequestInput } } },
  },
  responses: {
    201: jsonResponse(DetailRequest, 'Stored, audited and queued for the owning node'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const confirmCrossBorderCandidateRoute = createRoute({
  method: 'post',
  path: '/v1/cross-border-candidates/{candidateId}/confirm',
  operationId: 'confirmCrossBorderCandidate',
  [PERMISSION_KEY]: 'match.decide',
  summary:
    "Confirm this side of the match, once the other side's case was received at the full tier; confirmed when both have",
  request: {
    params: CandidateParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ note: trimmedText(500).optional() }).openapi('CrossBorderConfirmation'),
        },
      },
    },
  },
  responses: {
    200: jsonResponse(CrossBorderCandidate, 'Confirmed here, and told to the other node'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const rejectCrossBorderCandidateRoute = createRoute({
  method: 'post',
  path: '/v1/cross-border-candidates/{candidateId}/reject',
  operationId: 'rejectCrossBorderCandidate',
  [PERMISSION_KEY]: 'match.decide',
  summary: 'Reject the match with a reason: it closes here and at the other node',
  request: {
    params: CandidateParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ reason: trimmedText(500) }).openapi('CrossBorderRejection'),
        },
      },
    },
  },
  responses: {
    200: jsonResponse(CrossBorderCandidate, 'Closed here, and told to the other node'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const RepatriationStepInput = z
  .object({ step: RepatriationStep, date: calendarDate(), note: trimmedText(4000) })
  .openapi('RepatriationStepInput');
export type RepatriationStepInput = z.input<typeof RepatriationStepInput>;

export const recordRepatriationStepRoute = createRoute({
  method: 'post',
  path: '/v1/cross-border-candidates/{candidateId}/repatriation',
  operationId: 'recordRepatriationStep',
  [PERMISSION_KEY]: 'case.progress',
  summary:
    "A repatriation step on a match confirmed by both sides: progress of this node's case and of the other node's",
  request: {
    params: CandidateParams,
    body: { required: true, content: { 'application/json': { schema: RepatriationStepInput } } },
  },
  responses: {
    201: jsonResponse(CrossBorderCandidate, 'Recorded here, and sent to the other node'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const crossBorderRoutes = [
  listCrossBorderCandidatesRoute,
  getCrossBorderCandidateRoute,
  requestCrossBorderDetailsRoute,
  confirmCrossBorderCandidateRoute,
  rejectCrossBorderCandidateRoute,
  recordRepatriationStepRoute,
] as const;
