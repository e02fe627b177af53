// Checks on the public keys a node publishes: the right curve, and a kid derived from the key
// itself (so a kid in the configuration always names one key); at rotation, proofs that the
// node holds the new private keys. (At enrolment the proofs are pki's verifyProofOfPossession.)
import { createHash } from 'node:crypto';
import { type PublicJwk, signingRotationInput } from '@khoj/contracts';
import { computeKid, isPkiError, type JwsSigningKey, parsePublicJwk, verifyDetached } from '@khoj/pki';
import { ApiError } from '@khoj/platform';
import { checkKeyChallengeAnswer } from './challenges.ts';

export type KeyUse = 'signing' | 'encryption';
const CURVE = { signing: 'Ed25519', encryption: 'X25519' } as const;

/** The key with only its public members, or VALIDATION_FAILED (wrong curve, kid not derived from it). */
export async function checkPublishedKey(use: KeyUse, jwk: PublicJwk): Promise<PublicJwk> {
  let key: PublicJwk;
  try {
    key = { ...parsePublicJwk(jwk, CURVE[use]), kid: jwk.kid };
  } catch (error) {
    if (isPkiError(error)) throw new ApiError('VALIDATION_FAILED', `${use} key: ${error.message}`);
    throw error;
  }
  const expected = await computeKid(key);
  if (key.kid !== expected) {
    throw new ApiError('VALIDATION_FAILED', `${use} key: kid must be ${expected}, derived from the key`);
  }
  return key;
}

/**
 * Checks the proofs for keys a member rotates to: a detached JWS by the new signing key over
 * `signingRotationInput`, and the decrypted key challenge for the new encryption key.
 */
export async function checkRotationProof(
  use: KeyUse,
  key: PublicJwk,
  proof: string | undefined,
  context: { nodeId: string; hubKey: JwsSigningKey; now: Date },
): Promise<void> {
  if (!proof)
    throw new ApiError('PROOF_OF_POSSESSION_FAILED', `no proof of possession for the ${use} key ${key.kid}`);
  if (use === 'encryption') {
    checkKeyChallengeAnswer(context.hubKey, context.nodeId, key, proof, context.now);
    return;
  }
  try {
    await verifyDetached(proof, signingRotationInput(context.nodeId, key.kid), (kid) =>
      kid === key.kid ? key : undefined,
    );
  } catch (error) {
    if (isPkiError(error))
      throw new ApiError('PROOF_OF_POSSESSION_FAILED', `signing key ${key.kid}: ${error.message}`);
    throw error;
  }
}

/** RFC 7638 thumbprint (base64url SHA-256) of an OKP public key, as administrators compare it. */
export function jwkThumbprint(jwk: PublicJwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(canonical).digest('base64url');
}
