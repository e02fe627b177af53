// Rules for accepting an envelope, with no I/O: who may send it, to whom, and what a repeated
// envelope id means. An id is the idempotency key: the same content again is a retry and gets
// the same receipt; different content under a known id is a conflict and is refused.
import {
  canonicalJson,
  type Envelope,
  envelopeDigest,
  envelopeSigningInput,
  type Receipt,
} from '@khoj/contracts';
import { isPkiError, type JwsSigningKey, type PublicJwk, signJws, verifyDetached } from '@khoj/pki';
import { ApiError } from '@khoj/platform';

export type Submission = { kind: 'new' } | { kind: 'retry'; receipt: Receipt } | { kind: 'conflict' };

export function classifySubmission(
  digest: string,
  existing: { digest: string; receipt: Receipt } | undefined,
): Submission {
  if (!existing) return { kind: 'new' };
  return existing.digest === digest ? { kind: 'retry', receipt: existing.receipt } : { kind: 'conflict' };
}

/** The sender may only speak for itself, and only to registered members other than itself. */
export function checkRouting(
  envelope: Envelope,
  callerNodeId: string,
  isMember: (nodeId: string) => boolean,
): void {
  if (envelope.origin !== callerNodeId) {
    throw new ApiError(
      'ORIGIN_MISMATCH',
      `envelope origin ${envelope.origin} is not the calling node ${callerNodeId}`,
    );
  }
  const unknown = envelope.recipients.filter(
    (recipient) => recipient === callerNodeId || !isMember(recipient),
  );
  if (unknown.length > 0)
    throw new ApiError('RECIPIENT_UNKNOWN', `not a member to deliver to: ${unknown.join(', ')}`);
  if (new Set(envelope.recipients).size !== envelope.recipients.length) {
    throw new ApiError('VALIDATION_FAILED', 'recipients repeat');
  }
}

/** The origin's signature over the envelope fields and payload digest, by its registered key. */
export async function checkOriginSignature(envelope: Envelope, originKey: PublicJwk): Promise<void> {
  try {
    await verifyDetached(envelope.signature, envelopeSigningInput(envelope), (kid) =>
      kid === originKey.kid ? originKey : undefined,
    );
  } catch (error) {
    if (isPkiError(error)) throw new ApiError('SIGNATURE_INVALID', `envelope signature: ${error.message}`);
    throw error;
  }
}

export async function signReceipt(
  envelope: Envelope,
  receivedAt: Date,
  hubKey: JwsSigningKey,
): Promise<Receipt> {
  const fields = {
    envelopeId: envelope.id,
    envelopeDigest: envelopeDigest(envelope),
    receivedAt: receivedAt.toISOString(),
  };
  return { ...fields, hubSignature: await signJws(canonicalJson(fields), hubKey) };
}
