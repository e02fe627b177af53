import { base64url, GeneralEncrypt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptForRecipient, encryptForRecipients, type GeneralJwe } from './jwe.ts';
import { type EncryptionKeyPair, generateEncryptionKey } from './keys.ts';

let nodes: EncryptionKeyPair[];
let outsider: EncryptionKeyPair;

beforeAll(async () => {
  nodes = await Promise.all([generateEncryptionKey(), generateEncryptionKey(), generateEncryptionKey()]);
  outsider = await generateEncryptionKey();
});

const code = (expected: string) => expect.objectContaining({ code: expected });
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('encryptForRecipients / decryptForRecipient', () => {
  it('encrypts once for three nodes, each of which can decrypt', async () => {
    const jwe = await encryptForRecipients('{"case":"case_42"}', nodes);
    expect(jwe.recipients).toHaveLength(3);
    expect(JSON.parse(text(base64url.decode(jwe.protected ?? '')))).toEqual({ enc: 'A256GCM' });
    for (const [i, recipient] of jwe.recipients.entries()) {
      expect(recipient.header).toMatchObject({ alg: 'ECDH-ES+A256KW', kid: nodes[i]?.kid });
    }
    for (const node of nodes) expect(text(await decryptForRecipient(jwe, node))).toBe('{"case":"case_42"}');
  });

  it('survives a JSON round trip (as stored in an envelope)', async () => {
    const jwe = JSON.parse(
      JSON.stringify(await encryptForRecipients(new Uint8Array([1, 2, 3]), nodes)),
    ) as GeneralJwe;
    expect(await decryptForRecipient(jwe, nodes[2] as EncryptionKeyPair)).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('gives a node that is not a recipient ERR_DECRYPTION_FAILED', async () => {
    const jwe = await encryptForRecipients('secret', nodes);
    await expect(decryptForRecipient(jwe, outsider)).rejects.toThrow(code('ERR_DECRYPTION_FAILED'));
    // Claiming a recipient's kid does not help without its private key.
    const impostor = { kid: nodes[0]?.kid ?? '', privateJwk: outsider.privateJwk };
    await expect(decryptForRecipient(jwe, impostor)).rejects.toThrow(code('ERR_DECRYPTION_FAILED'));
  });

  it('rejects tampered ciphertext, tag or protected header', async () => {
    const jwe = await encryptForRecipients('secret payload', nodes);
    const node = nodes[0] as EncryptionKeyPair;
    const flipped = base64url.decode(jwe.ciphertext);
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const variants: GeneralJwe[] = [
      { ...jwe, ciphertext: base64url.encode(flipped) },
      { ...jwe, tag: base64url.encode(new Uint8Array(16)) },
      { ...jwe, protected: base64url.encode('{"enc":"A256GCM","x":1}') },
    ];
    for (const variant of variants) {
      await expect(decryptForRecipient(variant, node)).rejects.toThrow(code('ERR_DECRYPTION_FAILED'));
    }
  });

  it('rejects algorithms outside the allowlist', async () => {
    const node = nodes[0] as EncryptionKeyPair;
    const build = async (alg: string, enc: string) => {
      const jwe = new GeneralEncrypt(new TextEncoder().encode('x')).setProtectedHeader({ enc });
      jwe.addRecipient(node.publicJwk).setUnprotectedHeader({ alg, kid: node.kid });
      return (await jwe.encrypt()) as GeneralJwe;
    };
    await expect(decryptForRecipient(await build('ECDH-ES+A128KW', 'A256GCM'), node)).rejects.toThrow(
      code('ERR_ALG_NOT_ALLOWED'),
    );
    await expect(decryptForRecipient(await build('ECDH-ES+A256KW', 'A128CBC-HS256'), node)).rejects.toThrow(
      code('ERR_ALG_NOT_ALLOWED'),
    );
  });

  it('refuses to encrypt to a signing key', async () => {
    const { generateSigningKey } = await import('./keys.ts');
    const signing = await generateSigningKey();
    await expect(encryptForRecipients('x', [signing])).rejects.toThrow(code('ERR_KEY_INVALID'));
  });
});
