// The trust routes a node uses: enrolment (over server-authenticated TLS, before it has a
// certificate), renewal of its certificate and rotation of its keys (over mutual TLS), and what
// the hub publishes to anyone — the CRL and the signed federation configuration.
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses } from './errors.ts';
import { EnrolmentId, HUB_ACCESS_KEY, IssuedCertificate, PendingEnrolment } from './hub-admin-api.ts';
import { GeneralJwe } from './jwe.ts';
import { PublicJwk } from './keys.ts';
import { jsonResponse } from './openapi-parts.ts';

const mutualTls = [{ mutualTLS: [] }];
const CsrPem = z.string().includes('BEGIN CERTIFICATE REQUEST').max(16_384);
const B64Url = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/)
  .max(2_048);
const EnrolmentToken = z.string().min(1).max(200);

export const EnrolmentChallengeRequest = z
  .object({ token: EnrolmentToken })
  .openapi('EnrolmentChallengeRequest');

/** Fresh for 15 minutes: what the node's proofs of possession are computed over (with the token). */
export const EnrolmentChallenge = z
  .object({
    /** base64url; carries its time of issue, so the hub keeps no state per challenge */
    nonce: B64Url,
    /** the hub's X25519 key for this challenge: the encryption-key proof is an agreement with it */
    hubPublicJwk: PublicJwk,
    expiresAt: z.iso.datetime({ offset: true }),
  })
  .openapi('EnrolmentChallenge');
export type EnrolmentChallenge = z.infer<typeof EnrolmentChallenge>;

export const EnrolmentRequest = z
  .object({
    /** The invitation token (one use). */
    token: EnrolmentToken,
    challenge: EnrolmentChallenge.pick({ nonce: true, hubPublicJwk: true }),
    /** PKCS#10 of the node's TLS key (RSA ≥ 3072, CN = node id). */
    csrPem: CsrPem,
    signingKey: PublicJwk,
    encryptionKey: PublicJwk,
    /** `createProofOfPossession` over the challenge, token and all three public keys. */
    proof: z.object({
      tlsProof: B64Url,
      signingProof: z.string().min(1).max(2_048),
      encryptionProof: B64Url,
    }),
  })
  .openapi('EnrolmentRequest');
export type EnrolmentRequest = z.infer<typeof EnrolmentRequest>;

export const EnrolmentStatus = z
  .object({
    id: EnrolmentId,
    nodeId: PendingEnrolment.shape.nodeId,
    status: z.enum(['pending', 'approved', 'denied']),
    submittedAt: z.iso.datetime({ offset: true }),
    decidedAt: z.iso.datetime({ offset: true }).optional(),
    /** Why it was denied. */
    reason: z.string().optional(),
    /** Once approved: the certificate, leaf followed by the issuing CA. */
    certificate: IssuedCertificate.optional(),
  })
  .openapi('EnrolmentStatus');
export type EnrolmentStatus = z.infer<typeof EnrolmentStatus>;

export const enrolmentChallengeRoute = createRoute({
  method: 'post',
  path: '/v1/enrolments/challenge',
  operationId: 'enrolmentChallenge',
  summary: 'A challenge for the proofs of possession; the token is checked (not spent)',
  security: [],
  [HUB_ACCESS_KEY]: 'public',
  request: {
    body: { required: true, content: { 'application/json': { schema: EnrolmentChallengeRequest } } },
  },
  responses: {
    200: jsonResponse(EnrolmentChallenge, 'Answer within 15 minutes with POST /v1/enrolments'),
    ...errorResponses(400, 401, 409, 410),
  },
});

export const submitEnrolmentRoute = createRoute({
  method: 'post',
  path: '/v1/enrolments',
  operationId: 'submitEnrolment',
  summary: 'Ask to join with an invitation token, a CSR and the public keys, each with a proof',
  security: [],
  [HUB_ACCESS_KEY]: 'public',
  request: { body: { required: true, content: { 'application/json': { schema: EnrolmentRequest } } } },
  responses: {
    202: jsonResponse(EnrolmentStatus, 'Waiting for approval; poll GET /v1/enrolments/{id} with the token'),
    ...errorResponses(400, 401, 409, 410),
  },
});

export const enrolmentStatusRoute = createRoute({
  method: 'get',
  path: '/v1/enrolments/{enrolmentId}',
  operationId: 'getEnrolment',
  summary: 'Pending, denied, or approved with the certificate (Authorization: Bearer <token>)',
  security: [],
  [HUB_ACCESS_KEY]: 'public',
  request: {
    params: z.object({ enrolmentId: EnrolmentId }),
    headers: z.object({ authorization: z.string().optional() }),
  },
  responses: {
    200: jsonResponse(EnrolmentStatus, 'The enrolment'),
    ...errorResponses(400, 401),
  },
});

export const RenewalRequest = z.object({ csrPem: CsrPem }).openapi('RenewalRequest');

export const renewCertificateRoute = createRoute({
  method: 'post',
  path: '/v1/certificates/renew',
  operationId: 'renewCertificate',
  summary: 'A new certificate for the calling node; the current one stays valid until it expires',
  security: mutualTls,
  [HUB_ACCESS_KEY]: 'member',
  request: { body: { required: true, content: { 'application/json': { schema: RenewalRequest } } } },
  responses: {
    201: jsonResponse(IssuedCertificate, 'Issued'),
    ...errorResponses(400, 401, 403, 503),
  },
});

export const currentCertificateRoute = createRoute({
  method: 'get',
  path: '/v1/certificates/current',
  operationId: 'currentCertificate',
  summary: "The calling node's newest certificate (after an administrator renewed it)",
  security: mutualTls,
  [HUB_ACCESS_KEY]: 'member',
  responses: {
    200: jsonResponse(IssuedCertificate, 'The newest unrevoked certificate'),
    ...errorResponses(401, 403),
  },
});

/** The bytes a new signing key signs (detached JWS) to show the rotating node holds it. */
export function signingRotationInput(nodeId: string, kid: string): string {
  return `khoj-key-rotation/1:${nodeId}:${kid}`;
}

/** A challenge for a new encryption key: the node decrypts it and returns the plaintext as its proof. */
export const KeyChallengeRequest = z.object({ encryptionKey: PublicJwk }).openapi('KeyChallengeRequest');
export const KeyChallenge = z
  .object({ challenge: GeneralJwe, expiresAt: z.iso.datetime({ offset: true }) })
  .openapi('KeyChallenge');

export const KeyRotationRequest = z
  .object({
    signingKey: PublicJwk.optional(),
    encryptionKey: PublicJwk.optional(),
    proofs: z.object({
      /** detached JWS by the new signing key over `signingRotationInput(nodeId, kid)` */
      signingKey: z.string().max(2_048).optional(),
      /** the plaintext of the key challenge, decrypted with the new encryption key */
      encryptionKey: z.string().max(2_048).optional(),
    }),
    /** hours the replaced keys stay valid (signatures made before the switch still verify) */
    overlapHours: z
      .number()
      .int()
      .min(0)
      .max(24 * 30)
      .default(24 * 7),
  })
  .refine((body) => body.signingKey || body.encryptionKey, 'a signingKey, an encryptionKey or both')
  .openapi('KeyRotationRequest');

export const NodeKeys = z
  .object({
    signingKeys: z.array(
      z.object({ kid: z.string(), validFrom: z.string(), validUntil: z.string().optional() }),
    ),
    encryptionKeys: z.array(
      z.object({ kid: z.string(), validFrom: z.string(), validUntil: z.string().optional() }),
    ),
    configVersion: z.number().int(),
  })
  .openapi('NodeKeys');

export const keyChallengeRoute = createRoute({
  method: 'post',
  path: '/v1/keys/challenge',
  operationId: 'keyChallenge',
  summary: 'A challenge encrypted to a new encryption key, valid for 15 minutes',
  security: mutualTls,
  [HUB_ACCESS_KEY]: 'member',
  request: { body: { required: true, content: { 'application/json': { schema: KeyChallengeRequest } } } },
  responses: {
    200: jsonResponse(KeyChallenge, 'Decrypt it with the new key'),
    ...errorResponses(400, 401, 403),
  },
});

export const rotateKeysRoute = createRoute({
  method: 'post',
  path: '/v1/keys',
  operationId: 'rotateKeys',
  summary: 'Publish new signing and/or encryption keys; the old ones stay valid for the overlap',
  security: mutualTls,
  [HUB_ACCESS_KEY]: 'member',
  request: { body: { required: true, content: { 'application/json': { schema: KeyRotationRequest } } } },
  responses: {
    201: jsonResponse(NodeKeys, "The node's keys with their windows"),
    ...errorResponses(400, 401, 403, 409),
  },
});

export const crlRoute = createRoute({
  method: 'get',
  path: '/v1/crl',
  operationId: 'getCrl',
  summary: "The current issuing CA's X.509 CRL (DER); ?issuer=<serial> for an earlier issuing CA",
  security: [],
  [HUB_ACCESS_KEY]: 'public',
  request: {
    query: z.object({
      issuer: z
        .string()
        .regex(/^[0-9a-f]{2,40}$/)
        .optional(),
    }),
  },
  responses: {
    200: { description: 'DER CRL', content: { 'application/pkix-crl': { schema: z.string() } } },
    ...errorResponses(400, 404, 503),
  },
});

export const crlPemRoute = createRoute({
  method: 'get',
  path: '/v1/crl.pem',
  operationId: 'getCrlPem',
  summary: 'The CRLs of every issuing CA still in use, PEM, current first (for nginx ssl_crl)',
  security: [],
  [HUB_ACCESS_KEY]: 'public',
  responses: {
    200: { description: 'PEM CRLs', content: { 'application/x-pem-file': { schema: z.string() } } },
    ...errorResponses(503),
  },
});

export const federationConfigRoute = createRoute({
  method: 'get',
  path: '/v1/federation-config',
  operationId: 'getFederationConfig',
  summary: 'The signed federation configuration (compact JWS); its ETag is its version',
  security: [],
  [HUB_ACCESS_KEY]: 'public',
  request: { headers: z.object({ 'if-none-match': z.string().optional() }) },
  responses: {
    200: {
      description: 'Compact JWS (EdDSA, the hub configuration-signing key) of a FederationConfig',
      content: { 'application/jose': { schema: z.string() } },
    },
    304: { description: 'The version named in If-None-Match is still current' },
  },
});

export const hubTrustRoutes = [
  enrolmentChallengeRoute,
  submitEnrolmentRoute,
  enrolmentStatusRoute,
  renewCertificateRoute,
  currentCertificateRoute,
  keyChallengeRoute,
  rotateKeysRoute,
  crlRoute,
  crlPemRoute,
  federationConfigRoute,
] as const;
