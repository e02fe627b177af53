// The hub's HTTP contract. Every route is reached over mutual TLS: the client certificate says
// which node is calling. The hub service registers exactly these routes; the committed OpenAPI
// document (openapi/hub.json) is emitted from them.
import { createRoute, z } from '@hono/zod-openapi';
import { deliveryRoutes } from './delivery-api.ts';
import { Envelope, Receipt } from './envelope.ts';
import { ERROR_CODES, errorResponses } from './errors.ts';
import { ExpiringCertificate, HUB_ACCESS_KEY, hubAdminRoutes } from './hub-admin-api.ts';
import { hubTrustRoutes } from './hub-trust-api.ts';
import { EnvelopeId, NodeId } from './ids.ts';
import { PublicJwk } from './keys.ts';
import { jsonResponse } from './openapi-parts.ts';
import { transparencyRoutes } from './transparency-api.ts';

const security = [{ mutualTLS: [] }];

export const Health = z
  .object({
    status: z.literal('ok'),
    service: z.string(),
    /** Node certificates that end soon (the expiry watch). */
    certificates: z
      .object({ expiringWithinDays: z.number().int(), expiring: z.array(ExpiringCertificate) })
      .optional(),
  })
  .openapi('Health');

export const hubHealthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'hubHealth',
  security: [],
  [HUB_ACCESS_KEY]: 'public',
  responses: { 200: jsonResponse(Health, 'The hub is serving') },
});

export const submitEnvelopeRoute = createRoute({
  method: 'post',
  path: '/v1/envelopes',
  operationId: 'submitEnvelope',
  [HUB_ACCESS_KEY]: 'member',
  summary: 'Submit a signed, encrypted envelope for its recipients',
  description:
    'Checked against the federation policy (ENVELOPE_RULES): RECIPIENT_NOT_ALLOWED, PURPOSE_NOT_ACCEPTED; ' +
    'a query.request may name `*` or a pattern (IN-*), delivered to every member whose policy accepts its ' +
    'purposes. Refused envelopes are not stored; the refusal is recorded. Accepted ones are appended to the ' +
    'transparency log in the same transaction.',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: Envelope } } } },
  responses: {
    201: jsonResponse(Receipt, 'Accepted and stored; the signed receipt is proof of submission'),
    200: jsonResponse(Receipt, 'A retry of an envelope already accepted; the same receipt'),
    ...errorResponses(400, 401, 403, 409, 413),
  },
});

/** Most envelopes in one batch submission (each also counts toward the 1 MB request body limit). */
export const MAX_ENVELOPE_BATCH = 100;

export const EnvelopeBatch = z
  .object({
    envelopes: z
      .array(
        // Each item is checked against Envelope on its own, so that one malformed envelope is
        // answered VALIDATION_FAILED in its own result instead of refusing the whole batch.
        z.unknown().openapi({ description: 'An Envelope (checked on its own)' }),
      )
      .min(1)
      .max(MAX_ENVELOPE_BATCH),
    /**
     * W3C trace context per envelope (same order, null for none), so each envelope's trace goes on
     * from the work that made it rather than from the batch request. Without it: the request's.
     */
    traceparents: z
      .array(
        z
          .string()
          .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/)
          .nullable(),
      )
      .max(MAX_ENVELOPE_BATCH)
      .optional(),
  })
  .refine((batch) => !batch.traceparents || batch.traceparents.length === batch.envelopes.length, {
    message: 'traceparents, when given, has one entry per envelope',
    path: ['traceparents'],
  })
  .openapi('EnvelopeBatch');

export const EnvelopeBatchResult = z
  .object({
    /** The envelope's id, when the item had one. */
    envelopeId: z.string().optional(),
    /** What POST /v1/envelopes would have answered for this envelope alone. */
    status: z.number().int(),
    /** For 201 (stored) and 200 (a retry of an envelope already accepted). */
    receipt: Receipt.optional(),
    /** For a refusal: the code and message POST /v1/envelopes would have answered. */
    error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }).optional(),
  })
  .openapi('EnvelopeBatchResult');
export type EnvelopeBatchResult = z.infer<typeof EnvelopeBatchResult>;

export const EnvelopeBatchResults = z
  .object({ results: z.array(EnvelopeBatchResult), requestId: z.string() })
  .openapi('EnvelopeBatchResults');

export const submitEnvelopeBatchRoute = createRoute({
  method: 'post',
  path: '/v1/envelopes/batch',
  operationId: 'submitEnvelopeBatch',
  [HUB_ACCESS_KEY]: 'member',
  summary: 'Submit several envelopes in one request, each answered on its own',
  description:
    'Each envelope is checked, stored and logged exactly as by POST /v1/envelopes, and gets its own ' +
    'result in the same order: status 201 or 200 with its receipt, or the status and error code a ' +
    'single submission would have answered (nothing is stored for a refused envelope). Envelopes that ' +
    'are accepted are stored in the order given, so per-case order within a batch is kept.',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: EnvelopeBatch } } } },
  responses: {
    200: jsonResponse(EnvelopeBatchResults, 'One result per envelope, in the order submitted'),
    ...errorResponses(400, 401, 403, 413),
  },
});

/** Most deliveries in one inbox page, and envelope ids in one acknowledgement. */
export const MAX_INBOX_PAGE = 500;

export const InboxQuery = z.object({
  waitSeconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(30)
    .default(0)
    .openapi({ description: 'Long-poll: seconds to wait for an envelope' }),
  limit: z.coerce.number().int().min(1).max(MAX_INBOX_PAGE).default(50),
});

export const Delivery = z
  .object({
    envelope: Envelope,
    /** W3C trace context of the submission, so the receiver continues the origin's trace. */
    traceparent: z.string().optional(),
  })
  .openapi('Delivery');
export type Delivery = z.infer<typeof Delivery>;

export const Inbox = z.object({ deliveries: z.array(Delivery) }).openapi('Inbox');

export const inboxRoute = createRoute({
  method: 'get',
  path: '/v1/inbox',
  operationId: 'getInbox',
  [HUB_ACCESS_KEY]: 'member',
  summary: "The calling node's envelopes not yet acknowledged, oldest first",
  security,
  request: { query: InboxQuery },
  responses: {
    200: jsonResponse(Inbox, 'Pending deliveries (possibly none)'),
    ...errorResponses(400, 401, 403),
  },
});

export const AckRequest = z
  .object({ envelopeIds: z.array(EnvelopeId).min(1).max(MAX_INBOX_PAGE) })
  .openapi('AckRequest');
export const AckResult = z.object({ acknowledged: z.number().int() }).openapi('AckResult');

export const ackInboxRoute = createRoute({
  method: 'post',
  path: '/v1/inbox/ack',
  operationId: 'ackInbox',
  [HUB_ACCESS_KEY]: 'member',
  summary: 'Acknowledge deliveries: they leave the inbox',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: AckRequest } } } },
  responses: {
    200: jsonResponse(AckResult, 'Number of deliveries acknowledged'),
    ...errorResponses(400, 401, 403),
  },
});

export const Member = z
  .object({
    nodeId: NodeId,
    displayName: z.string(),
    certificateFingerprints: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
    signingKeys: z.array(PublicJwk),
    encryptionKeys: z.array(PublicJwk),
  })
  .openapi('Member');
export type Member = z.infer<typeof Member>;

export const MemberList = z.object({ members: z.array(Member) }).openapi('MemberList');

export const membersRoute = createRoute({
  method: 'get',
  path: '/v1/members',
  operationId: 'listMembers',
  [HUB_ACCESS_KEY]: 'member',
  summary: 'Federation members with their public keys',
  security,
  responses: { 200: jsonResponse(MemberList, 'Every registered node'), ...errorResponses(401, 403) },
});

export const hubRoutes = [
  hubHealthRoute,
  submitEnvelopeRoute,
  submitEnvelopeBatchRoute,
  inboxRoute,
  ackInboxRoute,
  membersRoute,
  ...hubTrustRoutes,
  ...hubAdminRoutes,
  ...deliveryRoutes,
  ...transparencyRoutes,
] as const;
