// Node application keys, separate from the TLS certificate: an Ed25519 key signs what a node
// publishes (JWS) and an X25519 key receives what others encrypt to it (JWE). Both travel as
// JWKs in the signed federation configuration, named by a kid derived from the key itself.

import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { PkiError } from './errors.ts';

export type KeyCurve = 'Ed25519' | 'X25519';

export type PublicJwk = {
  kty: 'OKP';
  crv: KeyCurve;
  /** base64url public key */
  x: string;
  kid?: string;
  use?: 'sig' | 'enc';
};

export type PrivateJwk = PublicJwk & {
  /** base64url private key */
  d: string;
};

export type SigningKeyPair = { kid: string; privateJwk: PrivateJwk; publicJwk: PublicJwk };
export type EncryptionKeyPair = { kid: string; privateJwk: PrivateJwk; publicJwk: PublicJwk };

const PREFIX: Record<KeyCurve, string> = { Ed25519: 'sig_', X25519: 'enc_' };
const USE: Record<KeyCurve, 'sig' | 'enc'> = { Ed25519: 'sig', X25519: 'enc' };

export async function generateSigningKey(): Promise<SigningKeyPair> {
  return generateOkp('Ed25519');
}

export async function generateEncryptionKey(): Promise<EncryptionKeyPair> {
  return generateOkp('X25519');
}

/**
 * `sig_` / `enc_` + base64url of the first 16 bytes of the RFC 7638 SHA-256 thumbprint.
 * Deriving the kid from the key means a published kid can be checked against its JWK, and a
 * rotated key always gets a new kid.
 */
export async function computeKid(jwk: PublicJwk): Promise<string> {
  const thumbprint = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x }, 'sha256');
  return PREFIX[jwk.crv] + base64url.encode(base64url.decode(thumbprint).subarray(0, 16));
}

/** Validate untrusted input (a JWK from a file or the federation configuration) as a public OKP key. */
export function parsePublicJwk(value: unknown, crv?: KeyCurve): PublicJwk {
  const jwk = value as Partial<PrivateJwk> | null;
  if (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'OKP') throw invalidKey('not an OKP JWK');
  if (jwk.crv !== 'Ed25519' && jwk.crv !== 'X25519') throw invalidKey(`unsupported curve ${String(jwk.crv)}`);
  if (crv && jwk.crv !== crv) throw invalidKey(`expected a ${crv} key, got ${jwk.crv}`);
  if (!isBase64url(jwk.x, 32)) throw invalidKey('"x" must be a 32-byte base64url value');
  if (jwk.kid !== undefined && typeof jwk.kid !== 'string') throw invalidKey('"kid" must be a string');
  if (jwk.use !== undefined && jwk.use !== USE[jwk.crv]) throw invalidKey(`"use" must be ${USE[jwk.crv]}`);
  // Copy only the public members, so a private JWK passed by mistake never leaks its "d".
  const result: PublicJwk = { kty: 'OKP', crv: jwk.crv, x: jwk.x };
  if (jwk.kid !== undefined) result.kid = jwk.kid;
  if (jwk.use !== undefined) result.use = jwk.use;
  return result;
}

export function parsePrivateJwk(value: unknown, crv?: KeyCurve): PrivateJwk {
  const publicJwk = parsePublicJwk(value, crv);
  const d = (value as { d?: unknown }).d;
  if (!isBase64url(d, 32)) throw invalidKey('"d" must be a 32-byte base64url value');
  return { ...publicJwk, d };
}

export function toPublicJwk(privateJwk: PrivateJwk): PublicJwk {
  return parsePublicJwk(privateJwk);
}

async function generateOkp(crv: KeyCurve): Promise<SigningKeyPair> {
  const { privateKey } = await (crv === 'Ed25519'
    ? generateKeyPair('Ed25519', { extractable: true })
    : generateKeyPair('ECDH-ES+A256KW', { crv: 'X25519', extractable: true }));
  const exported = await exportJWK(privateKey);
  const base = parsePrivateJwk(exported, crv);
  const kid = await computeKid(base);
  const privateJwk: PrivateJwk = { ...base, kid, use: USE[crv] };
  return { kid, privateJwk, publicJwk: toPublicJwk(privateJwk) };
}

function isBase64url(value: unknown, bytes: number): value is string {
  return (
    typeof value === 'string' && /^[A-Za-z0-9_-]+$/.test(value) && base64url.decode(value).length === bytes
  );
}

function invalidKey(message: string): PkiError {
  return new PkiError('ERR_KEY_INVALID', message);
}
