// What the hub tells about envelopes it did not deliver or did not accept, with no personal data:
// - dead letters: envelopes whose `expiresAt` passed before every recipient acknowledged them.
//   The hub drops them from the inboxes and records a notice signed with its configuration key
//   (the anchor's key). The origin learns of them by polling GET /v1/dead-letters with the last
//   `seq` it has seen (its own dead letters only); administrators see all of them.
// - conflicts: an envelope id submitted again with different content (refused with 409).
// - refusals: envelopes refused by the hub's checks (policy, signature, routing), with the code.
import { createRoute, z } from '@hono/zod-openapi';
import { Purpose } from './consent.ts';
import { EnvelopeType } from './envelope.ts';
import { ERROR_CODES, errorResponses } from './errors.ts';
import { HUB_ACCESS_KEY } from './hub-admin-api.ts';
import { EnvelopeId, NodeId } from './ids.ts';
import type { PublicJwk } from './keys.ts';
import { jsonResponse } from './openapi-parts.ts';
import { HubStatementError, Sha256Hex, verifyHubStatement } from './transparency.ts';

const security = [{ mutualTLS: [] }];
const Instant = z.iso.datetime({ offset: true });

export const DEAD_LETTER_KIND = 'khoj.dead-letter';

/** What the hub signs when it drops an envelope: what, sent when, to whom it never arrived. */
export const DeadLetterStatement = z.object({
  kind: z.literal(DEAD_LETTER_KIND),
  envelopeId: EnvelopeId,
  envelopeDigest: Sha256Hex,
  origin: NodeId,
  undeliveredTo: z.array(NodeId).min(1),
  expiresAt: Instant,
  droppedAt: Instant,
});
export type DeadLetterStatement = z.infer<typeof DeadLetterStatement>;

export const DeadLetter = z
  .object({
    /** Increasing: poll with `after` = the last seq seen. */
    seq: z.number().int().positive(),
    envelopeId: EnvelopeId,
    type: EnvelopeType,
    origin: NodeId,
    purposes: z.array(Purpose),
    undeliveredTo: z.array(NodeId),
    expiresAt: Instant,
    droppedAt: Instant,
    /** Compact JWS of the DeadLetterStatement by the hub's configuration-signing key. */
    notice: z.string(),
  })
  .openapi('DeadLetter');
export type DeadLetter = z.infer<typeof DeadLetter>;

/** The notice's signature verifies with the anchor key and it says what the listing says. */
export function verifyDeadLetterNotice(deadLetter: DeadLetter, hubKey: PublicJwk): DeadLetterStatement {
  const statement = verifyHubStatement(deadLetter.notice, hubKey, DeadLetterStatement);
  if (
    statement.envelopeId !== deadLetter.envelopeId ||
    statement.origin !== deadLetter.origin ||
    statement.droppedAt !== deadLetter.droppedAt ||
    statement.undeliveredTo.join(' ') !== deadLetter.undeliveredTo.join(' ')
  ) {
    throw new HubStatementError(
      'ERR_STATEMENT_MISMATCH',
      `the dead-letter notice for ${statement.envelopeId} differs from the listing`,
    );
  }
  return statement;
}

export const DeadLetterList = z.object({ deadLetters: z.array(DeadLetter) }).openapi('DeadLetterList');

const Page = {
  after: z.coerce.number().int().min(0).default(0).openapi({ description: 'Only entries with a larger seq' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
};

export const deadLettersRoute = createRoute({
  method: 'get',
  path: '/v1/dead-letters',
  operationId: 'listOwnDeadLetters',
  summary: "The calling node's envelopes that expired undelivered, oldest first",
  security,
  [HUB_ACCESS_KEY]: 'member',
  request: { query: z.object(Page) },
  responses: {
    200: jsonResponse(DeadLetterList, 'Dead letters after the given seq'),
    ...errorResponses(400, 401, 403),
  },
});

export const adminDeadLettersRoute = createRoute({
  method: 'get',
  path: '/v1/admin/dead-letters',
  operationId: 'adminListDeadLetters',
  summary: 'Every envelope that expired undelivered, oldest first',
  security,
  [HUB_ACCESS_KEY]: 'admin.read',
  request: { query: z.object({ ...Page, origin: NodeId.optional() }) },
  responses: {
    200: jsonResponse(DeadLetterList, 'Dead letters after the given seq'),
    ...errorResponses(400, 401, 403),
  },
});

export const EnvelopeConflict = z
  .object({
    seq: z.number().int().positive(),
    envelopeId: EnvelopeId,
    origin: NodeId,
    /** Digest of the envelope the hub holds under this id. */
    storedDigest: Sha256Hex,
    /** Digest of the different envelope offered under the same id. */
    offeredDigest: Sha256Hex,
    at: Instant,
    requestId: z.string().optional(),
  })
  .openapi('EnvelopeConflict');

export const adminEnvelopeConflictsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/envelope-conflicts',
  operationId: 'adminListEnvelopeConflicts',
  summary: 'Envelope ids submitted again with different content (refused with 409)',
  security,
  [HUB_ACCESS_KEY]: 'admin.read',
  request: { query: z.object({ ...Page, origin: NodeId.optional() }) },
  responses: {
    200: jsonResponse(z.object({ conflicts: z.array(EnvelopeConflict) }), 'Oldest first'),
    ...errorResponses(400, 401, 403),
  },
});

export const EnvelopeRefusal = z
  .object({
    seq: z.number().int().positive(),
    /** The calling node (the certificate's), which is not always the envelope's claimed origin. */
    sender: NodeId,
    envelopeId: EnvelopeId,
    type: EnvelopeType,
    code: z.enum(ERROR_CODES),
    /** The hub's reason: node ids, purposes and codes only. */
    message: z.string(),
    at: Instant,
    requestId: z.string().optional(),
  })
  .openapi('EnvelopeRefusal');

export const adminEnvelopeRefusalsRoute = createRoute({
  method: 'get',
  path: '/v1/admin/envelope-refusals',
  operationId: 'adminListEnvelopeRefusals',
  summary: 'Envelopes the hub refused (policy, signature, routing, expiry), with the code',
  security,
  [HUB_ACCESS_KEY]: 'admin.read',
  request: { query: z.object({ ...Page, sender: NodeId.optional() }) },
  responses: {
    200: jsonResponse(z.object({ refusals: z.array(EnvelopeRefusal) }), 'Oldest first'),
    ...errorResponses(400, 401, 403),
  },
});

export const deliveryRoutes = [
  deadLettersRoute,
  adminDeadLettersRoute,
  adminEnvelopeConflictsRoute,
  adminEnvelopeRefusalsRoute,
] as const;
