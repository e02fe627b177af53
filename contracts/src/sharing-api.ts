// The node's sharing policy and the consent of each case under it. The policy gives, per kind of
// case, the widest consent scope an officer may grant (purposes, recipients, fields tier, legal
// basis, lifetime); administrators edit it, officers read it. An officer grants or narrows a
// case's consent within it, with a reason, or withdraws it; a consent wider than the policy is
// refused with CONSENT_EXCEEDS_POLICY, naming what exceeds. (The cross-border candidates are in
// cross-border-api.ts.)
import { createRoute, z } from '@hono/zod-openapi';
import { PERMISSION_KEY } from './access-api.ts';
import { ConsentInput, Report } from './cases-api.ts';
import { FieldsTier, LegalBasis, Purpose } from './consent.ts';
import { errorResponses } from './errors.ts';
import { CaseId, EnvelopeId, NodeId, RecipientPattern } from './ids.ts';
import { jsonResponse, trimmedText } from './openapi-parts.ts';

/**
 * The kinds a policy distinguishes: a rescued child counts as `rescued_from_trafficking` even when
 * in care (the stricter kind wins), a found child placed in a CCI as `in_care`.
 */
export const SHARING_CATEGORIES = ['missing', 'found', 'rescued_from_trafficking', 'in_care'] as const;
export const SharingCategory = z.enum(SHARING_CATEGORIES).openapi('SharingCategory');
export type SharingCategory = z.infer<typeof SharingCategory>;

export const SharingRule = z
  .object({
    purposes: z.array(Purpose).min(1),
    recipients: z.array(RecipientPattern).min(1).max(64),
    fields: FieldsTier,
    legalBasis: LegalBasis,
    /** Longest a consent may last from when it is granted, in days. */
    lifetimeDays: z.number().int().min(1).max(3650),
  })
  .openapi('SharingRule');
export type SharingRule = z.infer<typeof SharingRule>;

export const SharingPolicyEntry = SharingRule.extend({
  category: SharingCategory,
  updatedBy: z.string(),
  updatedAt: z.iso.datetime({ offset: true }),
}).openapi('SharingPolicyEntry');
export type SharingPolicyEntry = z.infer<typeof SharingPolicyEntry>;

export const SharingPolicy = z
  .object({ nodeId: NodeId, entries: z.array(SharingPolicyEntry) })
  .openapi('SharingPolicy');
export type SharingPolicy = z.infer<typeof SharingPolicy>;

export const getSharingPolicyRoute = createRoute({
  method: 'get',
  path: '/v1/sharing-policy',
  operationId: 'getSharingPolicy',
  [PERMISSION_KEY]: 'sharing.read',
  summary: "This node's sharing policy: the widest consent per kind of case",
  responses: { 200: jsonResponse(SharingPolicy, 'The policy'), ...errorResponses(401, 403) },
});

export const SharingRuleChange = SharingRule.extend({ reason: trimmedText(500) }).openapi(
  'SharingRuleChange',
);

export const putSharingRuleRoute = createRoute({
  method: 'put',
  path: '/v1/sharing-policy/{category}',
  operationId: 'putSharingRule',
  [PERMISSION_KEY]: 'sharing.manage',
  summary: 'Replace the policy for one kind of case (audited with the reason); existing consents stay',
  request: {
    params: z.object({ category: SharingCategory }),
    body: { required: true, content: { 'application/json': { schema: SharingRuleChange } } },
  },
  responses: { 200: jsonResponse(SharingPolicyEntry, 'The new entry'), ...errorResponses(400, 401, 403) },
});

export const ConsentChange = z
  .object({
    /** The new consent, within the policy for the case's kind; null withdraws sharing. */
    consent: ConsentInput.nullable(),
    reason: trimmedText(500),
  })
  .openapi('ConsentChange');

export const ConsentChanged = z
  .object({
    report: Report,
    /** The summary sent under the new consent, if any. */
    publication: z.object({ envelopeId: EnvelopeId, recipients: z.array(NodeId) }).nullable(),
    /** Nodes that held a summary and no longer may: each is sent a retraction. */
    retractedFrom: z.array(NodeId),
  })
  .openapi('ConsentChanged');

export const putConsentRoute = createRoute({
  method: 'put',
  path: '/v1/reports/{caseId}/consent',
  operationId: 'putReportConsent',
  [PERMISSION_KEY]: 'case.update',
  summary: "Grant, narrow or withdraw a report's consent (If-Match), within the sharing policy",
  request: {
    params: z.object({ caseId: CaseId }),
    headers: z.object({ 'if-match': z.string().optional() }),
    body: { required: true, content: { 'application/json': { schema: ConsentChange } } },
  },
  responses: {
    200: jsonResponse(ConsentChanged, 'The report under its new consent'),
    ...errorResponses(400, 401, 403, 404, 412, 422, 428),
  },
});

export const sharingRoutes = [getSharingPolicyRoute, putSharingRuleRoute, putConsentRoute] as const;
