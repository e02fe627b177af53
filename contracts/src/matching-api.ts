// Match candidates: pairs of a missing and a found report that the node's matcher believes may be
// the same child, ranked by a calibrated probability, each with the explanation of its score (the
// prior, then each field's level and weight). Officers confirm a candidate (both reports become
// `matched`) or reject it with a reason (it is not proposed again unless a report changes in a
// field that matters).
import { createRoute, z } from '@hono/zod-openapi';
import { PERMISSION_KEY } from './access-api.ts';
import { CaseKind } from './case-summary.ts';
import { CaseStatus } from './cases-api.ts';
import { errorResponses } from './errors.ts';
import { CaseId } from './ids.ts';
import { jsonResponse, trimmedText } from './openapi-parts.ts';

export const CandidateId = z
  .string()
  .regex(/^match_[0-9a-z]{20,40}$/)
  .openapi({ example: 'match_01jq3v7w8x9y0z1a2b3c4d5e6f' });

export const CANDIDATE_STATUSES = ['proposed', 'confirmed', 'rejected'] as const;
export const CandidateStatus = z.enum(CANDIDATE_STATUSES).openapi('CandidateStatus');
export type CandidateStatus = z.infer<typeof CandidateStatus>;

/** One step of a score's waterfall: the prior, or one field's level and its weight (log2). */
export const ExplanationStep = z
  .object({
    /** `prior`, or a compared field: name, guardian, sex, age, time, place, languages, marks, height. */
    field: z.string(),
    /** The comparison level, such as `given_phonetic` (`prior` for the prior). */
    level: z.string(),
    /** Log2 likelihood-ratio weight this step adds, rounded to 0.1. */
    weight: z.number(),
    /** What was compared: "surname Debnath ≈ Devnath (same phonetic key)". */
    detail: z.string(),
    /** The step as one line: "name: surname Debnath ≈ Devnath (same phonetic key), +6.1". */
    text: z.string(),
  })
  .openapi('ExplanationStep');
export type ExplanationStep = z.infer<typeof ExplanationStep>;

export const MatchCandidate = z
  .object({
    candidateId: CandidateId,
    missingCaseId: CaseId,
    foundCaseId: CaseId,
    /** The report on the other side from the one asked about. */
    counterpart: z.object({ caseId: CaseId, kind: CaseKind, status: CaseStatus, ownerUnitId: z.string() }),
    /** Calibrated probability that both reports are the same child. */
    probability: z.number().min(0).max(1),
    /** Total log2 likelihood ratio, prior included. */
    weight: z.number(),
    /** At or above the node's alert threshold. */
    alert: z.boolean(),
    status: CandidateStatus,
    /** The officer's reason for a rejection (or note on a confirmation). */
    reason: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.iso.datetime({ offset: true }).nullable(),
    explanation: z.array(ExplanationStep),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .openapi('MatchCandidate');
export type MatchCandidate = z.infer<typeof MatchCandidate>;

export const CandidateList = z
  .object({
    caseId: CaseId,
    /** The node's thresholds the candidates were proposed and flagged with. */
    thresholds: z.object({ review: z.number(), alert: z.number() }),
    /** Highest probability first. */
    candidates: z.array(MatchCandidate),
  })
  .openapi('CandidateList');
export type CandidateList = z.infer<typeof CandidateList>;

export const listCandidatesRoute = createRoute({
  method: 'get',
  path: '/v1/reports/{caseId}/candidates',
  operationId: 'listMatchCandidates',
  [PERMISSION_KEY]: 'match.read',
  summary:
    'Match candidates for a report, best first, with the explanation of each score (only candidates whose other report you may read)',
  request: {
    params: z.object({ caseId: CaseId }),
    query: z.object({
      status: CandidateStatus.optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
    }),
  },
  responses: {
    200: jsonResponse(CandidateList, 'Candidates'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const CandidateDecision = z
  .object({
    candidate: MatchCandidate.omit({ counterpart: true }),
    /** Both reports as the decision left them. */
    reports: z.array(z.object({ caseId: CaseId, status: CaseStatus, version: z.number().int() })),
  })
  .openapi('CandidateDecision');
export type CandidateDecision = z.infer<typeof CandidateDecision>;

const CandidateParams = z.object({ candidateId: CandidateId });

export const confirmCandidateRoute = createRoute({
  method: 'post',
  path: '/v1/candidates/{candidateId}/confirm',
  operationId: 'confirmMatchCandidate',
  [PERMISSION_KEY]: 'match.decide',
  summary:
    'Confirm that both reports are the same child: both move to `matched` (audited, in one transaction)',
  request: {
    params: CandidateParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ note: trimmedText(500).optional() }).openapi('CandidateConfirmation'),
        },
      },
    },
  },
  responses: {
    200: jsonResponse(CandidateDecision, 'Confirmed'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const rejectCandidateRoute = createRoute({
  method: 'post',
  path: '/v1/candidates/{candidateId}/reject',
  operationId: 'rejectMatchCandidate',
  [PERMISSION_KEY]: 'match.decide',
  summary:
    'Reject a candidate with a reason; it is proposed again only if either report changes in a field that matters',
  request: {
    params: CandidateParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ reason: trimmedText(500) }).openapi('CandidateRejection'),
        },
      },
    },
  },
  responses: {
    200: jsonResponse(CandidateDecision, 'Rejected'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const matchingRoutes = [listCandidatesRoute, confirmCandidateRoute, rejectCandidateRoute] as const;
