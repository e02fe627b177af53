// The hub's administration API: invitations, pending enrolments and their approval (with dual
// control), nodes, revocation, renewal, expiring certificates and the configuration history.
// Reached over mutual TLS with an administrator's client certificate, whose role (admin,
// approver, auditor) says what it may do; every route names its permission in
// `x-khoj-hub-access`, and the hub refuses a route that names none.
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses } from './errors.ts';
import { NodePolicy, RevocationReason, SerialHex } from './federation-config.ts';
import { NodeId } from './ids.ts';
import { jsonResponse, trimmedText } from './openapi-parts.ts';

export const HUB_ACCESS_KEY = 'x-khoj-hub-access';

export const ADMIN_ROLES = ['admin', 'approver', 'auditor'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const HUB_ADMIN_PERMISSIONS = ['admin.read', 'admin.approve', 'admin.manage'] as const;
export type HubAdminPermission = (typeof HUB_ADMIN_PERMISSIONS)[number];

/** `public`: no client certificate (enrolment, CRL, configuration); `member`: an enrolled node. */
export type HubAccess = 'public' | 'member' | HubAdminPermission;

/** What each administrator role may do: approvers decide enrolments, auditors only read. */
export const ADMIN_ROLE_PERMISSIONS: Record<AdminRole, readonly HubAdminPermission[]> = {
  admin: ['admin.read', 'admin.approve', 'admin.manage'],
  approver: ['admin.read', 'admin.approve'],
  auditor: ['admin.read'],
};

const security = [{ mutualTLS: [] }];
const Instant = z.iso.datetime({ offset: true });
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const InvitationId = z.string().regex(/^inv_[0-9a-z]{20,40}$/);
export const EnrolmentId = z.string().regex(/^enr_[0-9a-z]{20,40}$/);

export const Invitation = z
  .object({
    id: InvitationId,
    nodeId: NodeId,
    displayName: z.string(),
    status: z.enum(['open', 'used', 'expired']),
    createdBy: z.string(),
    createdAt: Instant,
    expiresAt: Instant,
    usedAt: Instant.optional(),
    enrolmentId: EnrolmentId.optional(),
  })
  .openapi('Invitation');
export type Invitation = z.infer<typeof Invitation>;

export const InvitationRequest = z
  .object({
    nodeId: NodeId,
    displayName: trimmedText(200),
    /** hours until the token can no longer be used */
    expiresInHours: z.number().int().min(1).max(720).default(72),
  })
  .openapi('InvitationRequest');

export const CreatedInvitation = z
  .object({
    invitation: Invitation,
    /** Shown once: the hub keeps only its SHA-256. Hand it to the node's operator out of band. */
    token: z.string(),
  })
  .openapi('CreatedInvitation');

export const Approval = z.object({ admin: z.string(), at: Instant }).openapi('Approval');

export const PendingEnrolment = z
  .object({
    id: EnrolmentId,
    nodeId: NodeId,
    displayName: z.string(),
    status: z.enum(['pending', 'approved', 'denied']),
    submittedAt: Instant,
    /** SHA-256 of the CSR's SubjectPublicKeyInfo (what `openssl pkey -pubin -outform DER | sha256sum` prints). */
    tlsKeySha256: Sha256Hex,
    /** RFC 7638 thumbprints (base64url SHA-256) of the submitted public keys. */
    signingKeyThumbprint: z.string(),
    encryptionKeyThumbprint: z.string(),
    signingKid: z.string(),
    encryptionKid: z.string(),
    approvals: z.array(Approval),
    approvalsRequired: z.number().int().min(1),
    decidedAt: Instant.optional(),
    decidedBy: z.string().optional(),
    reason: z.string().optional(),
    certificateSerial: SerialHex.optional(),
  })
  .openapi('PendingEnrolment');
export type PendingEnrolment = z.infer<typeof PendingEnrolment>;

export const EnrolmentListQuery = z.object({
  status: z.enum(['pending', 'approved', 'denied', 'all']).default('pending'),
});

export const DenyRequest = z.object({ reason: trimmedText(500) }).openapi('DenyRequest');

export const NodeCertificate = z
  .object({
    serialHex: SerialHex,
    fingerprint: Sha256Hex,
    notBefore: Instant,
    notAfter: Instant,
    issuedAt: Instant,
    revokedAt: Instant.optional(),
    revocationReason: RevocationReason.optional(),
  })
  .openapi('NodeCertificate');

export const AdminNode = z
  .object({
    nodeId: NodeId,
    displayName: z.string(),
    status: z.enum(['active', 'suspended', 'revoked']),
    /** The latest unrevoked certificate's notAfter: when the node must have renewed. */
    certificateExpiresAt: Instant.optional(),
    certificates: z.array(NodeCertificate),
  })
  .openapi('AdminNode');

export const RevokeRequest = z.object({ reason: RevocationReason }).openapi('RevokeRequest');

export const RevocationResult = z
  .object({ revoked: z.array(SerialHex), configVersion: z.number().int() })
  .openapi('RevocationResult');

export const IssuedCertificate = z
  .object({
    nodeId: NodeId,
    serialHex: SerialHex,
    /** Leaf followed by the issuing CA: what the node presents in TLS. */
    certificatePem: z.string(),
    notBefore: Instant,
    notAfter: Instant,
  })
  .openapi('IssuedCertificate');

export const ExpiringQuery = z.object({ withinDays: z.coerce.number().int().min(1).max(365).default(30) });
export const ExpiringCertificate = z
  .object({ nodeId: NodeId, serialHex: SerialHex, notAfter: Instant })
  .openapi('ExpiringCertificate');
export const ExpiringCertificates = z
  .object({ withinDays: z.number().int(), certificates: z.array(ExpiringCertificate) })
  .openapi('ExpiringCertificates');

export const ConfigVersion = z
  .object({ version: z.number().int(), issuedAt: Instant, expiresAt: Instant, reason: z.string() })
  .openapi('ConfigVersion');

export const AuditCheck = z
  .object({
    ok: z.boolean(),
    entries: z.number().int(),
    /** The first entry that breaks the chain. */
    seq: z.number().int().optional(),
    problem: z.string().optional(),
  })
  .openapi('AuditCheck');

const EnrolmentParam = z.object({ enrolmentId: EnrolmentId });
const NodeParam = z.object({ nodeId: NodeId });
const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

export const listInvitationsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/invitations',
  operationId: 'adminListInvitations',
  security,
  [HUB_ACCESS_KEY]: 'admin.read',
  responses: {
    200: jsonResponse(z.object({ invitations: z.array(Invitation) }), 'Every invitation, newest first'),
    ...errorResponses(401, 403),
  },
});

export const createInvitationRoute = createRoute({
  method: 'post',
  path: '/v1/admin/invitations',
  operationId: 'adminCreateInvitation',
  summary: 'Invite a node to enrol: a one-time token, shown once',
  security,
  [HUB_ACCESS_KEY]: 'admin.manage',
  request: jsonBody(InvitationRequest),
  responses: {
    201: jsonResponse(CreatedInvitation, 'The invitation and its token'),
    ...errorResponses(400, 401, 403, 409),
  },
});

export const listEnrolmentsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/enrolments',
  operationId: 'adminListEnrolments',
  summary: 'Enrolment requests with their key fingerprints',
  security,
  [HUB_ACCESS_KEY]: 'admin.read',
  request: { query: EnrolmentListQuery },
  responses: {
    200: jsonResponse(z.object({ enrolments: z.array(PendingEnrolment) }), 'Oldest first'),
    ...errorResponses(400, 401, 403),
  },
});

export const approveEnrolmentRoute = createRoute({
  method: 'post',
  path: '/v1/admin/enrolments/{enrolmentId}/approve',
  operationId: 'adminApproveEnrolment',
  summary: 'Approve; under dual control the second approval by another administrator issues',
  security,
  [HUB_ACCESS_KEY]: 'admin.approve',
  request: { params: EnrolmentParam },
  responses: {
    200: jsonResponse(
      PendingEnrolment,
      'Approved (certificate issued) or still waiting for a second approval',
    ),
    ...errorResponses(401, 403, 404, 409, 503),
  },
});

export const denyEnrolmentRoute = createRoute({
  method: 'post',
  path: '/v1/admin/enrolments/{enrolmentId}/deny',
  operationId: 'adminDenyEnrolment',
  security,
  [HUB_ACCESS_KEY]: 'admin.approve',
  request: { params: EnrolmentParam, ...jsonBody(DenyRequest) },
  responses: {
    200: jsonResponse(PendingEnrolment, 'Denied'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const listNodesRoute = createRoute({
  method: 'get',
  path: '/v1/admin/nodes',
  operationId: 'adminListNodes',
  security,
  [HUB_ACCESS_KEY]: 'admin.read',
  responses: {
    200: jsonResponse(z.object({ nodes: z.array(AdminNode) }), 'Every member with its certificates'),
    ...errorResponses(401, 403),
  },
});

export const revokeNodeRoute = createRoute({
  method: 'post',
  path: '/v1/admin/nodes/{nodeId}/revoke',
  operationId: 'adminRevokeNode',
  summary: "Revoke a node: all its certificates, at once; its keys' windows close now",
  security,
  [HUB_ACCESS_KEY]: 'admin.manage',
  request: { params: NodeParam, ...jsonBody(RevokeRequest) },
  responses: {
    200: jsonResponse(RevocationResult, 'Revoked; the CRL and the configuration are re-issued'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const revokeCertificateRoute = createRoute({
  method: 'post',
  path: '/v1/admin/certificates/{serialHex}/revoke',
  operationId: 'adminRevokeCertificate',
  summary: 'Revoke one certificate (a node certificate, or an administrator certificate)',
  security,
  [HUB_ACCESS_KEY]: 'admin.manage',
  request: { params: z.object({ serialHex: SerialHex }), ...jsonBody(RevokeRequest) },
  responses: {
    200: jsonResponse(RevocationResult, 'Revoked'),
    ...errorResponses(400, 401, 403, 409),
  },
});

export const renewNodeRoute = createRoute({
  method: 'post',
  path: '/v1/admin/nodes/{nodeId}/renew',
  operationId: 'adminRenewNode',
  summary: "Re-issue a node's certificate for its current key (from the current issuing CA)",
  security,
  [HUB_ACCESS_KEY]: 'admin.manage',
  request: { params: NodeParam },
  responses: {
    201: jsonResponse(IssuedCertificate, 'Issued; the node fetches it from /v1/certificates/current'),
    ...errorResponses(401, 403, 404, 409, 503),
  },
});

export const setNodePolicyRoute = createRoute({
  method: 'put',
  path: '/v1/admin/nodes/{nodeId}/policy',
  operationId: 'adminSetNodePolicy',
  security,
  [HUB_ACCESS_KEY]: 'admin.manage',
  request: { params: NodeParam, ...jsonBody(NodePolicy) },
  responses: {
    200: jsonResponse(z.object({ configVersion: z.number().int() }), 'Published in a new configuration'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const expiringCertificatesRoute = createRoute({
  method: 'get',
  path: '/v1/admin/certificates/expiring',
  operationId: 'adminExpiringCertificates',
  security,
  [HUB_ACCESS_KEY]: 'admin.read',
  request: { query: ExpiringQuery },
  responses: {
    200: jsonResponse(ExpiringCertificates, 'Unrevoked node certificates ending within the window'),
    ...errorResponses(400, 401, 403),
  },
});

export const configHistoryRoute = createRoute({
  method: 'get',
  path: '/v1/admin/federation-config/history',
  operationId: 'adminConfigHistory',
  security,
  [HUB_ACCESS_KEY]: 'admin.read',
  responses: {
    200: jsonResponse(
      z.object({ versions: z.array(ConfigVersion) }),
      'Every published version, newest first',
    ),
    ...errorResponses(401, 403),
  },
});

export const verifyAuditRoute = createRoute({
  method: 'get',
  path: '/v1/admin/audit/verify',
  operationId: 'adminVerifyAudit',
  summary: "Check the hub's hash-chained audit log",
  security,
  [HUB_ACCESS_KEY]: 'admin.read',
  responses: { 200: jsonResponse(AuditCheck, 'The first broken entry, if any'), ...errorResponses(401, 403) },
});

export const hubAdminRoutes = [
  listInvitationsRoute,
  createInvitationRoute,
  listEnrolmentsRoute,
  approveEnrolmentRoute,
  denyEnrolmentRoute,
  listNodesRoute,
  revokeNodeRoute,
  revokeCertificateRoute,
  renewNodeRoute,
  setNodePolicyRoute,
  expiringCertificatesRoute,
  configHistoryRoute,
  verifyAuditRoute,
] as const;
