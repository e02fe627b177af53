// The hub's HTTP contract. Every route is reached over mutual TLS: the client certificate says
// which node is calling. The hub service registers exactly these routes; the committed OpenAPI
// document (openapi/hub.json) is emitted from them.
import { createRoute, z } from '@hono/zod-openapi';
import { deliveryRoutes } from './delivery-api.ts';
import { Envelope, Receipt } from './envelope.ts';
import { errorResponses } from './errors.ts';
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

export const InboxQuery = z.object({
  waitSeconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(30)
    .default(0)
    .openapi({ description: 'Long-poll: seconds to wait for an envelope' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
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
  .object({ envelopeIds: z.array(EnvelopeId).min(1).max(100) })
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
  inboxRoute,
  ackInboxRoute,
  membersRoute,
  ...hubTrustRoutes,
  ...hubAdminRoutes,
  ...deliveryRoutes,
  ...transparencyRoutes,
] as const;
