import { createHmac } from 'node:crypto';
import { base64url, CompactSign, FlattenedSign, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { signDetached, signJws, verifyDetached, verifyJws } from './jws.ts';
import {
  computeKid,
  generateEncryptionKey,
  generateSigningKey,
  type PublicJwk,
  type SigningKeyPair,
} from './keys.ts';

let origin: SigningKeyPair;
let other: SigningKeyPair;
let resolve: (kid: string) => PublicJwk | undefined;

beforeAll(async () => {
  origin = await generateSigningKey();
  other = await generateSigningKey();
  resolve = (kid) => (kid === origin.kid ? origin.publicJwk : undefined);
});

const code = (expected: string) => expect.objectContaining({ code: expected });
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const b64json = (value: unknown) => base64url.encode(JSON.stringify(value));

describe('keys', () => {
  it('makes Ed25519 signing and X25519 encryption keys named by their thumbprint', async () => {
    const encryption = await generateEncryptionKey();
    expect(origin.publicJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: origin.kid, use: 'sig' });
    expect(encryption.publicJwk).toMatchObject({
      kty: 'OKP',
      crv: 'X25519',
      kid: encryption.kid,
      use: 'enc',
    });
    expect(origin.kid).toMatch(/^sig_[A-Za-z0-9_-]{22}$/);
    expect(encryption.kid).toMatch(/^enc_[A-Za-z0-9_-]{22}$/);
    expect(await computeKid(origin.publicJwk)).toBe(origin.kid);
    expect(origin.publicJwk).not.toHaveProperty('d');
    expect(origin.privateJwk).toHaveProperty('d');
  });
});

describe('signJws / verifyJws', () => {
  it('round-trips bytes and strings and reports the kid', async () => {
    const jws = await signJws('namaste', origin);
    const [header] = jws.split('.');
    expect(JSON.parse(text(base64url.decode(header ?? '')))).toEqual({ alg: 'EdDSA', kid: origin.kid });
    const verified = await verifyJws(jws, resolve);
    expect(text(verified.payload)).toBe('namaste');
    expect(verified.kid).toBe(origin.kid);
    const bytes = new Uint8Array([0, 1, 2, 255]);
    expect((await verifyJws(await signJws(bytes, origin), resolve)).payload).toEqual(bytes);
  });

  it('rejects a tampered payload', async () => {
    const [header, , signature] = (await signJws('{"age":7}', origin)).split('.');
    const tampered = `${header}.${base64url.encode('{"age":8}')}.${signature}`;
    await expect(verifyJws(tampered, resolve)).rejects.toThrow(code('ERR_SIGNATURE_INVALID'));
  });

  it('rejects a signature by a key other than the one its kid names', async () => {
    const jws = await signJws('hello', { kid: origin.kid, privateJwk: other.privateJwk });
    await expect(verifyJws(jws, resolve)).rejects.toThrow(code('ERR_SIGNATURE_INVALID'));
  });

  it('rejects an unknown kid and malformed input', async () => {
    await expect(verifyJws(await signJws('hello', other), resolve)).rejects.toThrow(
      code('ERR_SIGNATURE_INVALID'),
    );
    await expect(verifyJws('not.a.jws', resolve)).rejects.toThrow(code('ERR_SIGNATURE_INVALID'));
    await expect(verifyJws('', resolve)).rejects.toThrow(code('ERR_SIGNATURE_INVALID'));
  });

  it('accepts the fully-specified Ed25519 algorithm name', async () => {
    const jws = await new CompactSign(new TextEncoder().encode('hi'))
      .setProtectedHeader({ alg: 'Ed25519', kid: origin.kid })
      .sign(origin.privateJwk);
    expect(text((await verifyJws(jws, resolve)).payload)).toBe('hi');
  });

  it('rejects alg none', async () => {
    const unsecured = `${b64json({ alg: 'none', kid: origin.kid })}.${base64url.encode('hello')}.`;
    await expect(verifyJws(unsecured, resolve)).rejects.toThrow(code('ERR_ALG_NOT_ALLOWED'));
  });

  it('rejects HS256 keyed with the public key (algorithm confusion)', async () => {
    const signingInput = `${b64json({ alg: 'HS256', kid: origin.kid })}.${base64url.encode('hello')}`;
    const mac = createHmac('sha256', origin.publicJwk.x).update(signingInput).digest('base64url');
    await expect(verifyJws(`${signingInput}.${mac}`, resolve)).rejects.toThrow(code('ERR_ALG_NOT_ALLOWED'));
  });

  it('rejects RS256 even when correctly signed', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const jws = await new CompactSign(new TextEncoder().encode('hello'))
      .setProtectedHeader({ alg: 'RS256', kid: origin.kid })
      .sign(privateKey);
    await expect(verifyJws(jws, resolve)).rejects.toThrow(code('ERR_ALG_NOT_ALLOWED'));
  });

  it('refuses header extensions it never produces (b64: false)', async () => {
    const flattened = await new FlattenedSign(new TextEncoder().encode('hello'))
      .setProtectedHeader({ alg: 'EdDSA', kid: origin.kid, b64: false, crit: ['b64'] })
      .sign(origin.privateJwk);
    const jws = `${flattened.protected}.hello.${flattened.signature}`;
    await expect(verifyJws(jws, resolve)).rejects.toThrow(code('ERR_SIGNATURE_INVALID'));
  });

  it('refuses to sign with an encryption key', async () => {
    const encryption = await generateEncryptionKey();
    await expect(signJws('x', encryption)).rejects.toThrow(code('ERR_KEY_INVALID'));
  });
});

describe('signDetached / verifyDetached', () => {
  it('signs without carrying the payload and verifies against it', async () => {
    const payload = new TextEncoder().encode('{"id":"env_1"}');
    const jws = await signDetached(payload, origin);
    expect(jws).toMatch(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/);
    expect(await verifyDetached(jws, payload, resolve)).toEqual({ kid: origin.kid });
  });

  it('rejects a different payload and an attached JWS', async () => {
    const jws = await signDetached('{"id":"env_1"}', origin);
    await expect(verifyDetached(jws, '{"id":"env_2"}', resolve)).rejects.toThrow(
      code('ERR_SIGNATURE_INVALID'),
    );
    const attached = await signJws('{"id":"env_1"}', origin);
    await expect(verifyDetached(attached, '{"id":"env_1"}', resolve)).rejects.toThrow(
      code('ERR_SIGNATURE_INVALID'),
    );
  });
});
