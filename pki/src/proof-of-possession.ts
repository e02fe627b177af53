// Proof that an enrolling node holds the private half of each key it submits: its RSA TLS key
// (the one in the CSR), its Ed25519 signing key and its X25519 encryption key. Without these a
// node could register someone else's public keys, and envelopes encrypted to "its" key would
// be readable by another party.
//
// All three proofs cover one transcript that binds the node id, the enrolment token (as its
// SHA-256), a hub nonce, the hub's ephemeral X25519 key and all three submitted public keys,
// so no proof can be replayed for another token, another attempt or another key set.
//   - TLS key: the CSR's self-signature (checkNodeCsr) plus an RSA-PSS/SHA-256 signature over
//     the transcript, which ties the CSR to this enrolment attempt.
//   - Signing key: a detached EdDSA JWS over the transcript (jws.ts), kid derived from the key.
//   - Encryption key: X25519 cannot sign, so the node proves it by key agreement. The hub sends
//     an ephemeral X25519 public key; the node returns HMAC-SHA256 over the transcript keyed
//     with HKDF(ECDH(node key, hub ephemeral key)); the hub recomputes it from its ephemeral
//     private key. One round trip, no decryption oracle, and the hub keeps nothing long-lived.
// Freshness and one-time use of the nonce and token are the hub's job (its store); this
// module is pure apart from generating randomness.

import {
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  type KeyObject,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { base64url } from 'jose';
import forge from 'node-forge';
import { type CheckedCsr, checkNodeCsr } from './csr.ts';
import { isPkiError, PkiError } from './errors.ts';
import { sha256Hex } from './fingerprint.ts';
import { signDetached, verifyDetached } from './jws.ts';
import {
  computeKid,
  generateEncryptionKey,
  type PrivateJwk,
  type PublicJwk,
  parsePrivateJwk,
  parsePublicJwk,
  toPublicJwk,
} from './keys.ts';
import { assertNodeId } from './node-id.ts';

/** What the hub sends an enrolling node. */
export type EnrolmentChallenge = {
  /** base64url, 32 random bytes */
  nonce: string;
  /** the hub's ephemeral X25519 key for this attempt */
  hubPublicJwk: PublicJwk;
};

/** What the hub keeps until the node answers (short-lived; discard after one use). */
export type HubEnrolmentChallenge = { challenge: EnrolmentChallenge; hubPrivateJwk: PrivateJwk };

export type ProofOfPossession = {
  /** detached compact JWS (EdDSA) over the transcript */
  signingProof: string;
  /** base64url HMAC-SHA256 over the transcript, keyed from X25519 agreement with the hub */
  encryptionProof: string;
  /** base64url RSA-PSS (SHA-256, 32-byte salt) signature over the transcript by the TLS key */
  tlsProof: string;
};

export type ProofClaims = { nodeId: string; token: string; challenge: EnrolmentChallenge };

export type NodeEnrolmentKeys = {
  /** PEM private key whose public half is in the CSR */
  tlsKeyPem: string;
  signingPrivateJwk: PrivateJwk;
  encryptionPrivateJwk: PrivateJwk;
};

export type ProofSubmission = ProofClaims & {
  hubPrivateJwk: PrivateJwk;
  csrPem: string;
  signingPublicJwk: PublicJwk;
  encryptionPublicJwk: PublicJwk;
  proof: ProofOfPossession;
};

/** What an administrator is shown before approving, once every proof checked out. */
export type VerifiedEnrolmentKeys = {
  csr: CheckedCsr;
  /** SHA-256 hex of the TLS public key (SubjectPublicKeyInfo DER) */
  tlsKeyFingerprint: string;
  signingKid: string;
  encryptionKid: string;
};

const TRANSCRIPT_VERSION = 'khoj-enrolment-pop/1';
const HKDF_INFO = 'khoj enrolment proof of possession: X25519';
const NONCE_BYTES = 32;
const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };

export async function createEnrolmentChallenge(): Promise<HubEnrolmentChallenge> {
  const { privateJwk, publicJwk } = await generateEncryptionKey();
  return {
    challenge: { nonce: base64url.encode(randomBytes(NONCE_BYTES)), hubPublicJwk: publicJwk },
    hubPrivateJwk: privateJwk,
  };
}

/** Node side: prove possession of all three private keys for this challenge. */
export async function createProofOfPossession(
  claims: ProofClaims,
  keys: NodeEnrolmentKeys,
): Promise<ProofOfPossession> {
  const signing = parsePrivateJwk(keys.signingPrivateJwk, 'Ed25519');
  const encryption = parsePrivateJwk(keys.encryptionPrivateJwk, 'X25519');
  let tlsKey: KeyObject;
  try {
    tlsKey = createPrivateKey(keys.tlsKeyPem);
  } catch (cause) {
    throw new PkiError('ERR_KEY_INVALID', 'the TLS key is not a PEM private key', { cause });
  }
  if (tlsKey.asymmetricKeyType !== 'rsa') throw new PkiError('ERR_KEY_INVALID', 'the TLS key must be RSA');
  const transcript = buildTranscript(claims, {
    tlsPublicKey: createPublicKey(tlsKey),
    signingPublicJwk: toPublicJwk(signing),
    encryptionPublicJwk: toPublicJwk(encryption),
  });
  const signingKid = await computeKid(toPublicJwk(signing));
  return {
    signingProof: await signDetached(transcript, { kid: signingKid, privateJwk: signing }),
    encryptionProof: base64url.encode(
      possessionMac(encryption, claims.challenge.hubPublicJwk, claims.challenge.nonce, transcript),
    ),
    tlsProof: base64url.encode(sign('sha256', transcript, { key: tlsKey, ...PSS })),
  };
}

/**
 * Hub side. Checks the CSR (self-signature, RSA >= 3072, names the node) and the three proofs;
 * throws the CSR's own codes or ERR_POP_INVALID naming the key whose proof failed.
 */
export async function verifyProofOfPossession(submission: ProofSubmission): Promise<VerifiedEnrolmentKeys> {
  const csr = checkNodeCsr(submission.csrPem, submission.nodeId);
  const tlsPublicKey = createPublicKey(forge.pki.publicKeyToPem(csr.publicKey));
  const signingPublicJwk = asPublicJwk(submission.signingPublicJwk, 'Ed25519', 'signing');
  const encryptionPublicJwk = asPublicJwk(submission.encryptionPublicJwk, 'X25519', 'encryption');
  const hubPrivateJwk = asPrivateJwk(submission.hubPrivateJwk);
  if (toPublicJwk(hubPrivateJwk).x !== submission.challenge?.hubPublicJwk?.x) {
    throw popInvalid('the hub key does not belong to this challenge');
  }
  const transcript = buildTranscript(submission, { tlsPublicKey, signingPublicJwk, encryptionPublicJwk });
  const proof = submission.proof ?? ({} as Partial<ProofOfPossession>);

  if (!verifyTls(tlsPublicKey, transcript, proof.tlsProof))
    throw popInvalid('the TLS key proof does not verify');

  const signingKid = await computeKid(signingPublicJwk);
  try {
    await verifyDetached(String(proof.signingProof), transcript, (kid) =>
      kid === signingKid ? signingPublicJwk : undefined,
    );
  } catch (cause) {
    throw popInvalid('the signing key proof does not verify', cause);
  }

  const expected = possessionMac(hubPrivateJwk, encryptionPublicJwk, submission.challenge.nonce, transcript);
  const given = decodeBase64url(proof.encryptionProof);
  if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw popInvalid('the encryption key proof does not verify');
  }

  return {
    csr,
    tlsKeyFingerprint: sha256Hex(tlsPublicKey.export({ type: 'spki', format: 'der' })),
    signingKid,
    encryptionKid: await computeKid(encryptionPublicJwk),
  };
}

type TranscriptKeys = {
  tlsPublicKey: KeyObject;
  signingPublicJwk: PublicJwk;
  encryptionPublicJwk: PublicJwk;
};

/** Canonical bytes both sides compute: JSON with a fixed member order and only plain strings. */
function buildTranscript(claims: ProofClaims, keys: TranscriptKeys): Uint8Array {
  assertNodeId(claims.nodeId);
  if (typeof claims.token !== 'string' || claims.token === '')
    throw popInvalid('the enrolment token is missing');
  const nonce = decodeBase64url(claims.challenge?.nonce);
  if (!nonce || nonce.length < 16) throw popInvalid('the challenge nonce is missing or too short');
  const hubKey = asPublicJwk(claims.challenge.hubPublicJwk, 'X25519', 'hub');
  const text = JSON.stringify({
    v: TRANSCRIPT_VERSION,
    nodeId: claims.nodeId,
    tokenSha256: sha256Hex(claims.token),
    nonce: claims.challenge.nonce,
    hubKey: hubKey.x,
    tlsKeySha256: sha256Hex(keys.tlsPublicKey.export({ type: 'spki', format: 'der' })),
    // The raw public keys, not their kids: kids are truncated thumbprints.
    signingKey: keys.signingPublicJwk.x,
    encryptionKey: keys.encryptionPublicJwk.x,
  });
  return new TextEncoder().encode(text);
}

/** HMAC-SHA256(HKDF-SHA256(X25519(own private, peer public), salt = nonce), transcript). */
function possessionMac(own: PrivateJwk, peer: PublicJwk, nonce: string, transcript: Uint8Array): Buffer {
  let shared: Buffer;
  try {
    shared = diffieHellman({
      privateKey: createPrivateKey({ key: { ...own }, format: 'jwk' }),
      publicKey: createPublicKey({ key: { ...peer }, format: 'jwk' }),
    });
  } catch (cause) {
    // OpenSSL refuses low-order points (an all-zero shared secret) here.
    throw popInvalid('X25519 key agreement failed', cause);
  }
  const key = Buffer.from(hkdfSync('sha256', shared, base64url.decode(nonce), HKDF_INFO, 32));
  return createHmac('sha256', key).update(transcript).digest();
}

function verifyTls(publicKey: KeyObject, transcript: Uint8Array, proof: unknown): boolean {
  const signature = decodeBase64url(proof);
  if (!signature) return false;
  try {
    return verify('sha256', transcript, { key: publicKey, ...PSS }, signature);
  } catch {
    return false;
  }
}

function asPublicJwk(value: unknown, crv: 'Ed25519' | 'X25519', which: string): PublicJwk {
  try {
    return parsePublicJwk(value, crv);
  } catch (cause) {
    throw popInvalid(`the ${which} public key is not a valid ${crv} JWK`, cause);
  }
}

function asPrivateJwk(value: unknown): PrivateJwk {
  try {
    return parsePrivateJwk(value, 'X25519');
  } catch (cause) {
    throw popInvalid('the hub challenge key is not a valid X25519 private JWK', cause);
  }
}

function decodeBase64url(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  return Buffer.from(base64url.decode(value));
}

function popInvalid(message: string, cause?: unknown): PkiError {
  if (isPkiError(cause) && cause.code === 'ERR_POP_INVALID') return cause;
  return new PkiError('ERR_POP_INVALID', message, cause === undefined ? undefined : { cause });
}
