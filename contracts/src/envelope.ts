// The envelope: all the hub can read of an exchange. Personal data lives only inside `payload`
// (a JWE of the origin's JWS); `signature` is the origin's detached JWS over the other fields and
// the payload's digest, so the hub can check who sent what without being able to read it.
import { z } from '@hono/zod-openapi';
import { canonicalJson, digestOf } from './canonical.ts';
import { Purpose } from './consent.ts';
import { EnvelopeId, NodeId } from './ids.ts';
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

const EnvelopeFields = z.object({
  id: EnvelopeId,
  type: EnvelopeType,
  origin: NodeId,
  recipients: z.array(NodeId).min(1).max(64),
  purposes: z.array(Purpose).min(1),
  createdAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
  payload: GeneralJwe,
});

export const Envelope = EnvelopeFields.extend({
  /** Detached compact JWS (`header..signature`) by the origin over `envelopeSigningInput`. */
  signature: z.string().regex(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/),
}).openapi('Envelope');
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
 */
export function envelopeIdFor(origin: string, type: EnvelopeType, subject: string, version: number): string {
  const hex = digestOf([origin, type, subject, version]);
  return `env_${BigInt(`0x${hex.slice(0, 40)}`)
    .toString(36)
    .padStart(31, '0')}`;
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
