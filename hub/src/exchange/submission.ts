// Rules for accepting an envelope, with no I/O: its time, the origin's signature, and what a
// repeated envelope id means. An id is the idempotency key: the same content again is a retry
// and gets the same receipt; different content under a known id is a conflict, refused and
// reported. Where it may go is policy.ts.
import { canonicalJson, type Envelope, envelopeSigningInput, type Receipt } from '@khoj/contracts';
import type { JwsSigningKey, PublicJwk } from '@khoj/pki';
import { ApiError } from '@khoj/platform';
import { JwsRefused, signEd25519, verifyDetachedEd25519 } from './signatures.ts';

export type Submission =
  | { kind: 'new' }
  | { kind: 'retry'; receipt: Receipt }
  | { kind: 'conflict'; digest: string };

export function classifySubmission(
  digest: string,
  existing: { digest: string; receipt: Receipt } | undefined,
): Submission {
  if (!existing) return { kind: 'new' };
  return existing.digest === digest
    ? { kind: 'retry', receipt: existing.receipt }
    : { kind: 'conflict', digest: existing.digest };
}

/** An envelope already past its expiry is never stored: no recipient could receive it. */
export function checkExpiry(envelope: Envelope, now: Date): void {
  const expiresAt = Date.parse(envelope.expiresAt);
  if (expiresAt <= Date.parse(envelope.createdAt)) {
    throw new ApiError(
      'ENVELOPE_EXPIRED',
      `expiresAt ${envelope.expiresAt} is not after createdAt ${envelope.createdAt}`,
    );
  }
  if (expiresAt <= now.getTime()) {
    throw new ApiError('ENVELOPE_EXPIRED', `the envelope expired at ${envelope.expiresAt}`);
  }
}

/**
 * The origin's signature over the envelope fields and payload digest, by one of its registered
 * keys valid now (after a rotation, the previous key too until its overlap ends).
 */
export function checkOriginSignature(envelope: Envelope, originKeys: PublicJwk[]): void {
  try {
    verifyDetachedEd25519(envelope.signature, envelopeSigningInput(envelope), originKeys);
  } catch (error) {
    if (error instanceof JwsRefused)
      throw new ApiError('SIGNATURE_INVALID', `envelope signature: ${error.message}`);
    throw error;
  }
}

/** The receipt over the envelope's digest (`envelopeDigest`, computed once by the caller). */
export function signReceipt(
  envelope: Envelope,
  digest: string,
  receivedAt: Date,
  hubKey: JwsSigningKey,
): Receipt {
  const fields = { envelopeId: envelope.id, envelopeDigest: digest, receivedAt: receivedAt.toISOString() };
  return { ...fields, hubSignature: signEd25519(canonicalJson(fields), hubKey) };
}
