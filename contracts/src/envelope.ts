// The envelope: all the hub can read of an exchange. Personal data lives only inside `payload`
// (a JWE of the origin's JWS); `signature` is the origin's detached JWS over the other fields and
// the payload's digest, so the hub can check who sent what without being able to read it.
import { z } from '@hono/zod-openapi';
import { canonicalJson, digestOf } from './canonical.ts';
import { Purpose } from './consent.ts';
import { EnvelopeId, NODE_ID_PATTERN, NodeId, RECIPIENT_PATTERN, recipientMatches } from './ids.ts';
import { GeneralJwe } from './jwe.ts';

export const EnvelopeType = z
  .enum([
    'case.summary',
    'case.retraction',
    'match.notice',
    'query.request',
    'query.hit',
    'detail.request',
    'detail.response',
  ])
  .openapi('EnvelopeType');
export type EnvelopeType = z.infer<typeof EnvelopeType>;

/**
 * How the hub routes and polices each type (the federation policy of each node, see
 * NodePolicy):
 * - `fanOut`: recipients may be patterns (`IN-*`) or `*`; the hub delivers to every active member
 *   matching them whose policy accepts every purpose and whom the sender's policy allows, and
 *   leaves out the others (explicit node ids are checked strictly, as for any type).
 * - `senderPolicy`: every recipient must match the sender's `allowsRecipients`
 *   (else RECIPIENT_NOT_ALLOWED).
 * - `recipientPurposes`: every recipient's `acceptsPurposes` must hold every purpose of the
 *   envelope (else PURPOSE_NOT_ACCEPTED). Answers (`match.notice`, `query.hit`,
 *   `detail.response`) go back to the node that shared or asked, so only the sender's policy
 *   applies to them.
 * - A retraction is never refused by policy: it withdraws data, and must reach every node that
 *   received the summary even after a policy was narrowed.
 */
export const ENVELOPE_RULES: Record<
  EnvelopeType,
  { fanOut: boolean; senderPolicy: boolean; recipientPurposes: boolean }
> = {
  'case.summary': { fanOut: false, senderPolicy: true, recipientPurposes: true },
  'case.retraction': { fanOut: false, senderPolicy: false, recipientPurposes: false },
  'match.notice': { fanOut: false, senderPolicy: true, recipientPurposes: false },
  'query.request': { fanOut: true, senderPolicy: true, recipientPurposes: true },
  'query.hit': { fanOut: false, senderPolicy: true, recipientPurposes: false },
  'detail.request': { fanOut: false, senderPolicy: true, recipientPurposes: true },
  'detail.response': { fanOut: false, senderPolicy: true, recipientPurposes: false },
};

/** `*` (every member), a pattern (`IN-*`) or a node id; only fan-out types may use the first two. */
export const EnvelopeRecipient = z
  .string()
  .regex(new RegExp(`^\\*$|${RECIPIENT_PATTERN.source}`), 'a node id, a pattern such as IN-*, or *')
  .openapi({ example: 'IN-WB' });

/** Does an envelope recipient entry (`*`, `IN-*` or a node id) address `nodeId`? */
export function addresses(recipient: string, nodeId: string): boolean {
  return recipient === '*' || recipientMatches(recipient, nodeId);
}

const EnvelopeFields = z.object({
  id: EnvelopeId,
  type: EnvelopeType,
  origin: NodeId,
  /** Node ids; for a fan-out type (`query.request`) also patterns or `*`, resolved by the hub. */
  recipients: z.array(EnvelopeRecipient).min(1).max(64),
  purposes: z.array(Purpose).min(1),
  createdAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
  payload: GeneralJwe,
});

export const Envelope = EnvelopeFields.extend({
  /** Detached compact JWS (`header..signature`) by the origin over `envelopeSigningInput`. */
  signature: z.string().regex(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/),
})
  .superRefine((envelope, context) => {
    if (ENVELOPE_RULES[envelope.type].fanOut) return;
    envelope.recipients.forEach((recipient, index) => {
      if (!NODE_ID_PATTERN.test(recipient)) {
        context.addIssue({
          code: 'custom',
          path: ['recipients', index],
          message: `${envelope.type} goes to node ids only; patterns are for query.request`,
        });
      }
    });
  })
  .openapi('Envelope');
export type Envelope = z.infer<typeof Envelope>;
export type UnsignedEnvelope = Omit<Envelope, 'signature'>;

/** The bytes the origin signs: every field but the payload itself, plus the payload's digest. */
export function envelopeSigningInput(envelope: UnsignedEnvelope | Envelope): string {
  const { payload, signature: _signature, ...fields } = envelope as Envelope;
  return canonicalJson({ ...fields, payloadDigest: digestOf(payload) });
}

/** Digest of the whole envelope: equal digests mean a retry, different ones a conflict. */
export function envelopeDigest(envelope: Envelope): string {
  return digestOf(envelope);
}

/**
 * The idempotency key: one envelope per origin, subject and version, so a retried publication
 * of the same case version can never become two envelopes.
 *
 * An id is bound to its origin and type, so that nobody else can take it: it starts with a
 * prefix derived from (origin, type) alone, which the hub and every recipient check against the
 * envelope's authenticated origin (`envelopeIdBelongsTo`). The rest is derived from (origin,
 * type, subject, version), which only the origin knows in full (the subject is inside the
 * encrypted payload). Without the prefix, a member that learned a case id from a summary could
 * compute the origin's next ids (its retraction, its next version) and submit envelopes of its
 * own under them first, so that the origin's were refused as conflicts.
 */
export function envelopeIdFor(origin: string, type: EnvelopeType, subject: string, version: number): string {
  const rest = base36(digestOf([origin, type, subject, version]).slice(0, 40), ID_REST_LENGTH);
  return `env_${envelopeIdPrefix(origin, type)}${rest}`;
}

/** Characters of an envelope id after `env_`: the (origin, type) prefix, then the subject part. */
const ID_PREFIX_LENGTH = 13; // 64 bits of SHA-256 in base 36
const ID_REST_LENGTH = 31; // 160 bits

/** The part of every id of `origin`'s envelopes of `type` that follows `env_`. */
export function envelopeIdPrefix(origin: string, type: EnvelopeType): string {
  return base36(digestOf(['khoj.envelope-id', origin, type]).slice(0, 16), ID_PREFIX_LENGTH);
}

/**
 * Is `id` one that `origin` may use for an envelope of `type`? The hub refuses any other at
 * submission (ENVELOPE_ID_MISMATCH) and a node refuses it on receipt, so an id, once it names an
 * envelope anywhere, names one of that origin's and type's only.
 */
export function envelopeIdBelongsTo(id: string, origin: string, type: EnvelopeType): boolean {
  return (
    id.length === 4 + ID_PREFIX_LENGTH + ID_REST_LENGTH &&
    id.startsWith(`env_${envelopeIdPrefix(origin, type)}`)
  );
}

function base36(hex: string, length: number): string {
  return BigInt(`0x${hex}`).toString(36).padStart(length, '0');
}

/** The hub's signed proof that it accepted an envelope: time and envelope digest. */
export const Receipt = z
  .object({
    envelopeId: EnvelopeId,
    envelopeDigest: z.string().regex(/^[0-9a-f]{64}$/),
    receivedAt: z.iso.datetime({ offset: true }),
    /** Compact JWS by the hub over the canonical JSON of the three fields above. */
    hubSignature: z.string(),
  })
  .openapi('Receipt');
export type Receipt = z.infer<typeof Receipt>;
