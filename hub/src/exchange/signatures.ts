// Ed25519 on the ingest hot path with node:crypto and keys parsed once. Checking the origin's
// detached JWS and signing the receipt through jose imports the JWK again for every envelope and
// goes through WebCrypto's promise machinery; here a verification is one native call. The rules
// are pki's (jws.ts): the algorithm allowlist, no `b64`/`crit` extensions, the key chosen only
// by `kid` among the caller's keys, and the same compact serialization (so receipts verify with
// pki's verifyJws and nodes' code alike).
import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { JWS_ALGORITHMS, type JwsSigningKey, type PublicJwk } from '@khoj/pki';

export class JwsRefused extends Error {
  override readonly name = 'JwsRefused';
}

/** Parsed public keys by `kid` and key material; a handful per member, so the map stays small. */
const publicKeys = new Map<string, KeyObject>();
const privateKeys = new WeakMap<JwsSigningKey, { key: KeyObject; header: string }>();

function publicKeyOf(jwk: PublicJwk): KeyObject {
  const id = `${jwk.kid}:${jwk.x}`;
  let key = publicKeys.get(id);
  if (!key) {
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519')
      throw new JwsRefused(`key ${jwk.kid} is not an Ed25519 key`);
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
    if (publicKeys.size > 10_000) publicKeys.clear();
    publicKeys.set(id, key);
  }
  return key;
}

/** Throws JwsRefused unless `jws` (`header..signature`) is a valid signature of `payload` by one of `keys`. */
export function verifyDetachedEd25519(jws: string, payload: string, keys: readonly PublicJwk[]): void {
  const parts = jws.split('.');
  const [header64, middle, signature64] = parts;
  if (parts.length !== 3 || middle !== '' || !header64 || !signature64) {
    throw new JwsRefused('not a detached compact JWS (header..signature)');
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(header64, 'base64url').toString('utf8'));
  } catch {
    throw new JwsRefused('malformed JWS header');
  }
  if (typeof header.alg !== 'string' || !JWS_ALGORITHMS.includes(header.alg)) {
    throw new JwsRefused(`JWS algorithm not allowed: ${String(header.alg)}`);
  }
  if ('b64' in header || 'crit' in header) {
    throw new JwsRefused('JWS header extensions (b64, crit) are not accepted');
  }
  const jwk = typeof header.kid === 'string' ? keys.find((key) => key.kid === header.kid) : undefined;
  if (!jwk) throw new JwsRefused(`unknown signing key ${String(header.kid)}`);
  const input = Buffer.from(`${header64}.${Buffer.from(payload).toString('base64url')}`);
  if (!verify(null, input, publicKeyOf(jwk), Buffer.from(signature64, 'base64url'))) {
    throw new JwsRefused('JWS signature does not verify');
  }
}

/** A compact JWS (EdDSA, with the key's kid) of `payload`. */
export function signEd25519(payload: string, signingKey: JwsSigningKey): string {
  let prepared = privateKeys.get(signingKey);
  if (!prepared) {
    const { kty, crv, x, d } = signingKey.privateJwk;
    prepared = {
      key: createPrivateKey({ key: { kty, crv, x, d }, format: 'jwk' }),
      header: Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: signingKey.kid })).toString('base64url'),
    };
    privateKeys.set(signingKey, prepared);
  }
  const input = `${prepared.header}.${Buffer.from(payload).toString('base64url')}`;
  return `${input}.${sign(null, Buffer.from(input), prepared.key).toString('base64url')}`;
}
