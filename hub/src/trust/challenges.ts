// Challenges for proofs of possession, kept without state: the hub derives everything it must
// remember from a secret of its own (HKDF of its configuration-signing key, under labels used
// for nothing else) and from the challenge itself, which carries its time of issue. Any hub
// process over the same home answers any challenge, and nothing is stored per request; one-time
// use comes from the invitation token (enrolment) or the key being new (rotation).
import { createHmac, createPrivateKey, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EnrolmentChallenge, PublicJwk } from '@khoj/contracts';
import {
  computeKid,
  encryptForRecipients,
  type GeneralJwe,
  type JwsSigningKey,
  type PrivateJwk,
  parsePrivateJwk,
} from '@khoj/pki';
import { ApiError } from '@khoj/platform';

/** How long a challenge may be answered, ms. */
export const CHALLENGE_LIFETIME_MS = 15 * 60 * 1000;
/** A challenge from a hub clock this far ahead is still accepted (several hub processes). */
const SKEW_MS = 60 * 1000;
const ENROLMENT_LABEL = 'khoj hub: enrolment challenge X25519 keys';
const ROTATION_LABEL = 'khoj hub: key rotation challenge MAC';
/** PKCS#8 DER prefix of an X25519 private key; the 32 key bytes follow. */
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

function secret(key: JwsSigningKey, label: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(key.privateJwk.d, 'base64url'), Buffer.alloc(0), label, 32),
  );
}

/** A nonce: 8 bytes of issue time (ms, big-endian) and 24 random bytes. */
function newNonce(now: Date): Buffer {
  const nonce = randomBytes(32);
  nonce.writeBigUInt64BE(BigInt(now.getTime()), 0);
  return nonce;
}

function issuedAtOf(nonce: Buffer): number {
  return nonce.length === 32 ? Number(nonce.readBigUInt64BE(0)) : Number.NaN;
}

function assertFresh(issuedAt: number, now: Date, what: string): void {
  if (!Number.isFinite(issuedAt) || issuedAt > now.getTime() + SKEW_MS) {
    throw new ApiError('PROOF_OF_POSSESSION_FAILED', `the ${what} was not issued by this hub`);
  }
  if (now.getTime() - issuedAt > CHALLENGE_LIFETIME_MS) {
    throw new ApiError('PROOF_OF_POSSESSION_FAILED', `the ${what} expired; ask for a new one`);
  }
}

/** The hub's X25519 key for an enrolment nonce, derived again whenever it is needed. */
function enrolmentKeyFor(key: JwsSigningKey, nonce: Buffer): PrivateJwk {
  const bytes = Buffer.from(hkdfSync('sha256', secret(key, ENROLMENT_LABEL), nonce, 'x25519', 32));
  const jwk = createPrivateKey({
    key: Buffer.concat([X25519_PKCS8_PREFIX, bytes]),
    format: 'der',
    type: 'pkcs8',
  }).export({
    format: 'jwk',
  });
  return parsePrivateJwk(jwk, 'X25519');
}

export async function newEnrolmentChallenge(key: JwsSigningKey, now: Date): Promise<EnrolmentChallenge> {
  const nonce = newNonce(now);
  const { d: _, ...publicJwk } = enrolmentKeyFor(key, nonce);
  return {
    nonce: nonce.toString('base64url'),
    hubPublicJwk: { ...publicJwk, kid: await computeKid(publicJwk) },
    expiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_MS).toISOString(),
  };
}

/** The hub's private key for a challenge a node answered; refuses stale or foreign challenges. */
export function enrolmentChallengeKey(
  key: JwsSigningKey,
  challenge: { nonce: string; hubPublicJwk: PublicJwk },
  now: Date,
): PrivateJwk {
  const nonce = Buffer.from(challenge.nonce, 'base64url');
  assertFresh(issuedAtOf(nonce), now, 'enrolment challenge');
  const privateJwk = enrolmentKeyFor(key, nonce);
  if (privateJwk.x !== challenge.hubPublicJwk.x) {
    throw new ApiError('PROOF_OF_POSSESSION_FAILED', 'the enrolment challenge was not issued by this hub');
  }
  return privateJwk;
}

function rotationMac(key: JwsSigningKey, nodeId: string, encryptionKey: PublicJwk, issuedAt: number): string {
  return createHmac('sha256', secret(key, ROTATION_LABEL))
    .update(`khoj-key-rotation/1\n${nodeId}\n${encryptionKey.x}\n${issuedAt}`)
    .digest('base64url');
}

/** A challenge encrypted to the new key: only its holder can return the plaintext. */
export async function newKeyChallenge(
  key: JwsSigningKey,
  nodeId: string,
  encryptionKey: PublicJwk,
  now: Date,
): Promise<{ challenge: GeneralJwe; expiresAt: string }> {
  const issuedAt = now.getTime();
  const plaintext = `${issuedAt}.${rotationMac(key, nodeId, encryptionKey, issuedAt)}`;
  const challenge = await encryptForRecipients(plaintext, [
    { kid: encryptionKey.kid ?? '', publicJwk: encryptionKey },
  ]);
  return { challenge, expiresAt: new Date(issuedAt + CHALLENGE_LIFETIME_MS).toISOString() };
}

/** Checks the plaintext a node returned for a key challenge. */
export function checkKeyChallengeAnswer(
  key: JwsSigningKey,
  nodeId: string,
  encryptionKey: PublicJwk,
  answer: string,
  now: Date,
): void {
  const [time, mac] = answer.split('.');
  const issuedAt = /^\d{1,16}$/.test(time ?? '') ? Number(time) : Number.NaN;
  const expected = Number.isFinite(issuedAt) ? rotationMac(key, nodeId, encryptionKey, issuedAt) : '';
  if (!mac || mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) {
    throw new ApiError(
      'PROOF_OF_POSSESSION_FAILED',
      `the answer to the challenge for ${encryptionKey.kid} is wrong`,
    );
  }
  assertFresh(issuedAt, now, 'key challenge');
}
