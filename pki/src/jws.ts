// Signatures by a node's Ed25519 key: compact JWS over case summaries and other payloads,
// and detached JWS for envelope signatures (the signed bytes travel beside the signature).
// Verification pins the algorithm allowlist and resolves keys only by kid, so a token can
// never choose its own key or downgrade to `none` / HMAC.

import { base64url, CompactSign, compactVerify, decodeProtectedHeader, errors } from 'jose';
import { isPkiError, PkiError } from './errors.ts';
import { type PrivateJwk, type PublicJwk, parsePrivateJwk, parsePublicJwk } from './keys.ts';

/** 'EdDSA' is what we sign with; 'Ed25519' is its RFC 9864 fully-specified name, accepted too. */
export const JWS_ALGORITHMS: readonly string[] = ['EdDSA', 'Ed25519'];

export type JwsSigningKey = { kid: string; privateJwk: PrivateJwk };
export type ResolveSigningKey = (kid: string) => PublicJwk | undefined;
export type VerifiedJws = { payload: Uint8Array; kid: string };

const encoder = new TextEncoder();

export async function signJws(payload: Uint8Array | string, key: JwsSigningKey): Promise<string> {
  const privateJwk = parsePrivateJwk(key.privateJwk, 'Ed25519');
  if (typeof key.kid !== 'string' || key.kid === '')
    throw new PkiError('ERR_KEY_INVALID', 'signing key has no kid');
  const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
  try {
    return await new CompactSign(bytes).setProtectedHeader({ alg: 'EdDSA', kid: key.kid }).sign(privateJwk);
  } catch (cause) {
    throw new PkiError('ERR_KEY_INVALID', 'cannot sign with this key', { cause });
  }
}

export async function verifyJws(jws: string, resolveKey: ResolveSigningKey): Promise<VerifiedJws> {
  const { kid, key } = resolve(jws, resolveKey);
  try {
    const { payload } = await compactVerify(jws, key, { algorithms: [...JWS_ALGORITHMS] });
    return { payload, kid };
  } catch (cause) {
    throw joseFailure(cause);
  }
}

/** Compact JWS with the payload part left empty (RFC 7515 appendix F); the payload stays base64url-encoded when signed. */
export async function signDetached(payload: Uint8Array | string, key: JwsSigningKey): Promise<string> {
  const [header, , signature] = (await signJws(payload, key)).split('.');
  return `${header}..${signature}`;
}

export async function verifyDetached(
  jws: string,
  payload: Uint8Array | string,
  resolveKey: ResolveSigningKey,
): Promise<{ kid: string }> {
  const parts = typeof jws === 'string' ? jws.split('.') : [];
  if (parts.length !== 3 || parts[1] !== '') {
    throw new PkiError('ERR_SIGNATURE_INVALID', 'not a detached compact JWS (header..signature)');
  }
  const bytes = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const { kid } = await verifyJws(`${parts[0]}.${base64url.encode(bytes)}.${parts[2]}`, resolveKey);
  return { kid };
}

/** Check the header before any cryptography: the alg against the allowlist, then the kid against the caller's keys. */
function resolve(jws: string, resolveKey: ResolveSigningKey): { kid: string; key: PublicJwk } {
  let header: Record<string, unknown>;
  try {
    if (typeof jws !== 'string' || jws.split('.').length !== 3) throw new TypeError('not a compact JWS');
    header = decodeProtectedHeader(jws);
  } catch (cause) {
    throw new PkiError('ERR_SIGNATURE_INVALID', 'malformed JWS', { cause });
  }
  if (typeof header.alg !== 'string' || !JWS_ALGORITHMS.includes(header.alg)) {
    throw new PkiError('ERR_ALG_NOT_ALLOWED', `JWS algorithm not allowed: ${String(header.alg)}`);
  }
  // We never emit b64/crit; refuse them rather than verify a different signing input than we produce.
  if ('b64' in header || 'crit' in header) {
    throw new PkiError('ERR_SIGNATURE_INVALID', 'JWS header extensions (b64, crit) are not accepted');
  }
  const kid = header.kid;
  if (typeof kid !== 'string' || kid === '') throw new PkiError('ERR_SIGNATURE_INVALID', 'JWS has no kid');
  const found = resolveKey(kid);
  if (!found) throw new PkiError('ERR_SIGNATURE_INVALID', `unknown signing key ${kid}`);
  return { kid, key: parsePublicJwk(found, 'Ed25519') };
}

function joseFailure(cause: unknown): PkiError {
  if (isPkiError(cause)) return cause;
  if (cause instanceof errors.JOSEAlgNotAllowed) {
    return new PkiError('ERR_ALG_NOT_ALLOWED', 'JWS algorithm not allowed', { cause });
  }
  return new PkiError('ERR_SIGNATURE_INVALID', 'JWS signature does not verify', { cause });
}
