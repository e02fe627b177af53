// The one error shape every khoj service answers with, and the closed list of its codes. The
// status for each code is decided here, once, so that hub and nodes cannot disagree.
import { z } from '@hono/zod-openapi';

export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  /**
   * Text khoj cannot take (contracts' input.ts): a control character other than tab/LF/CR (none
   * at all in a path), an unpaired surrogate, bytes that are not UTF-8, malformed %-encoding —
   * in the path, the query, a header or the body (a value or a key, at any depth).
   */
  INPUT_ENCODING_INVALID: 400,
  /** A JSON document nested deeper than MAX_DOCUMENT_DEPTH (64), refused before it is parsed. */
  DOCUMENT_TOO_DEEP: 400,
  SIGNATURE_INVALID: 400,
  RECIPIENT_UNKNOWN: 400,
  CSR_INVALID: 400,
  KEY_TOO_WEAK: 400,
  PROOF_OF_POSSESSION_FAILED: 400,
  /** The envelope's expiresAt has passed (or is not after its createdAt). */
  ENVELOPE_EXPIRED: 400,
  /** A transparency tree size beyond the log, or `from` after `to`. */
  TREE_SIZE_INVALID: 400,
  UNAUTHENTICATED: 401,
  CLIENT_CERT_REQUIRED: 401,
  CLIENT_CERT_INVALID: 401,
  ENROLMENT_TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  CSRF_TOKEN_INVALID: 403,
  NODE_NOT_REGISTERED: 403,
  ORIGIN_MISMATCH: 403,
  /** The envelope id is not one of its origin's ids for its type (contracts' `envelopeIdBelongsTo`). */
  ENVELOPE_ID_MISMATCH: 403,
  CERT_REVOKED: 403,
  ADMIN_CERT_REQUIRED: 403,
  /** The sender's federation policy (allowsRecipients) does not allow a recipient. */
  RECIPIENT_NOT_ALLOWED: 403,
  /** A recipient's federation policy (acceptsPurposes) does not accept a purpose. */
  PURPOSE_NOT_ACCEPTED: 403,
  NOT_FOUND: 404,
  CASE_NOT_FOUND: 404,
  UNIT_NOT_FOUND: 404,
  CANDIDATE_NOT_FOUND: 404,
  NODE_NOT_FOUND: 404,
  ENROLMENT_NOT_FOUND: 404,
  /** No such envelope in the log, or not one the caller sent or received. */
  ENVELOPE_NOT_FOUND: 404,
  CHECKPOINT_NOT_FOUND: 404,
  QUERY_NOT_FOUND: 404,
  /** No such hit handle in the answers to the caller's unit's queries. */
  HIT_NOT_FOUND: 404,
  /** The hit handle's lifetime at the answering node is over: it can no longer be asked about. */
  HIT_EXPIRED: 410,
  DETAIL_REQUEST_NOT_FOUND: 404,
  ENVELOPE_CONFLICT: 409,
  TRANSITION_NOT_ALLOWED: 409,
  /** The candidate was already confirmed (or rejected, for a rejection). */
  CANDIDATE_DECIDED: 409,
  /** A cross-border match is confirmed only once the other side's case arrived at the full tier. */
  CROSS_BORDER_DETAILS_REQUIRED: 409,
  /** Repatriation is recorded only on a cross-border match both sides confirmed. */
  CANDIDATE_NOT_CONFIRMED: 409,
  /** A query's targets name no other member of the federation that accepts its purpose. */
  QUERY_NO_RECIPIENTS: 409,
  /** The detail request was already approved or denied. */
  DETAIL_REQUEST_DECIDED: 409,
  /** The query was withdrawn by its unit: no more detail requests, no second withdrawal. */
  QUERY_WITHDRAWN: 409,
  /** The detail request was withdrawn by the requesting unit: it can no longer be decided. */
  DETAIL_REQUEST_WITHDRAWN: 409,
  /**
   * What the detail request is about is gone since it arrived (the hit's handle died, the
   * cross-border match closed): approving it would disclose a case nobody may ask about any more.
   */
  DETAIL_REQUEST_STALE: 409,
  ENROLMENT_TOKEN_USED: 409,
  ENROLMENT_NOT_PENDING: 409,
  /** Dual control: the same administrator may not give both approvals. */
  APPROVAL_DUPLICATE: 409,
  NODE_ALREADY_MEMBER: 409,
  ALREADY_REVOKED: 409,
  KEY_ALREADY_PUBLISHED: 409,
  /** Re-issue needs the node's CSR; a node registered from a file has none (it must renew itself). */
  RENEWAL_NEEDS_CSR: 409,
  ENROLMENT_TOKEN_EXPIRED: 410,
  /** A case's consent is wider than the node's sharing policy for its kind (the message names what). */
  CONSENT_EXCEEDS_POLICY: 422,
  VERSION_CONFLICT: 412,
  PAYLOAD_TOO_LARGE: 413,
  ACCOUNT_LOCKED: 423,
  PRECONDITION_REQUIRED: 428,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  HUB_UNAVAILABLE: 502,
  /** The node cannot take citizen reports: no active police unit to verify them. */
  INTAKE_UNAVAILABLE: 503,
  /** The hub holds no usable issuing CA (see `hubPaths().ca`), so it cannot issue certificates. */
  CA_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

export function statusForCode(code: ErrorCode): ErrorStatus {
  return ERROR_STATUS[code];
}

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      requestId: z.string(),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;

/** OpenAPI response entries for a route's error statuses. */
export function errorResponses(...statuses: ErrorStatus[]) {
  const entries = statuses.map((status) => [
    status,
    { description: describeStatus(status), content: { 'application/json': { schema: ErrorBody } } },
  ]);
  return Object.fromEntries(entries) as Record<
    ErrorStatus,
    { description: string; content: { 'application/json': { schema: typeof ErrorBody } } }
  >;
}

function describeStatus(status: ErrorStatus): string {
  const codes = ERROR_CODES.filter((code) => ERROR_STATUS[code] === status);
  return `Error (${codes.join(', ')})`;
}
