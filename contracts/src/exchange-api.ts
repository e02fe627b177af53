// What did not get through, as the origin node knows it: envelopes the hub refused (with the
// hub's code: RECIPIENT_NOT_ALLOWED, PURPOSE_NOT_ACCEPTED, …) and dead letters (envelopes the hub
// dropped undelivered past their expiry, with its signed notice). Subjects, node ids, purposes
// and codes only — no personal data. Newest first, a page at a time (`cursor` from `next`).
// Diagnostics of the exchange: for the node's administrators (`exchange.read`), not its officers.
import { createRoute, z } from '@hono/zod-openapi';
import { PERMISSION_KEY } from './access-api.ts';
import { Purpose } from './consent.ts';
import { EnvelopeType } from './envelope.ts';
import { errorResponses } from './errors.ts';
import { EnvelopeId, NodeId } from './ids.ts';
import { jsonResponse } from './openapi-parts.ts';

const Instant = z.iso.datetime({ offset: true });
const Page = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** `next` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
});

export const RefusedEnvelope = z
  .object({
    envelopeId: EnvelopeId,
    type: EnvelopeType,
    /** What the envelope is about: a case id, a query id, … */
    subject: z.string(),
    recipients: z.array(z.string()),
    purposes: z.array(Purpose),
    /** The hub's error code. */
    code: z.string(),
    /** The hub's message: node ids, purposes and codes. */
    message: z.string(),
    refusedAt: Instant,
  })
  .openapi('RefusedEnvelope');
export type RefusedEnvelope = z.infer<typeof RefusedEnvelope>;

export const exchangeRefusalsRoute = createRoute({
  method: 'get',
  path: '/v1/exchange/refusals',
  operationId: 'listExchangeRefusals',
  [PERMISSION_KEY]: 'exchange.read',
  summary: "This node's envelopes the hub refused, newest first",
  request: { query: Page },
  responses: {
    200: jsonResponse(
      z
        .object({ refusals: z.array(RefusedEnvelope), next: z.string().nullable() })
        .openapi('RefusedEnvelopeList'),
      'Refused envelopes',
    ),
    ...errorResponses(400, 401, 403),
  },
});

export const OwnDeadLetter = z
  .object({
    envelopeId: EnvelopeId,
    type: EnvelopeType,
    /** The outbox subject (a case id, …); null when the envelope is no longer in the outbox. */
    subject: z.string().nullable(),
    purposes: z.array(Purpose),
    undeliveredTo: z.array(NodeId),
    expiresAt: Instant,
    droppedAt: Instant,
    /** The hub's compact JWS, verified against the trust anchor when it was fetched. */
    notice: z.string(),
    receivedAt: Instant,
  })
  .openapi('OwnDeadLetter');
export type OwnDeadLetter = z.infer<typeof OwnDeadLetter>;

export const exchangeDeadLettersRoute = createRoute({
  method: 'get',
  path: '/v1/exchange/dead-letters',
  operationId: 'listExchangeDeadLetters',
  [PERMISSION_KEY]: 'exchange.read',
  summary: "This node's envelopes the hub dropped undelivered past their expiry, newest first",
  request: { query: Page },
  responses: {
    200: jsonResponse(
      z
        .object({ deadLetters: z.array(OwnDeadLetter), next: z.string().nullable() })
        .openapi('OwnDeadLetterList'),
      'Dead letters',
    ),
    ...errorResponses(400, 401, 403),
  },
});

export const exchangeRefusalRoutes = [exchangeRefusalsRoute, exchangeDeadLettersRoute] as const;
