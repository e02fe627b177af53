import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIssuingCa } from './ca.ts';
import { decryptPrivateKeyPem, encryptPrivateKeyPem, isEncryptedPrivateKeyPem } from './key-encryption.ts';
import { createTestPki, type TestPki, writeTempFiles } from './test-support.ts';

// Non-ASCII on purpose: openssl and node:crypto must both hash the passphrase as UTF-8.
const PASSPHRASE = 'correct horse battery staple ✓';
const code = (expected: string) => expect.objectContaining({ code: expected });

let pki: TestPki;
let encryptedRoot: string;

beforeAll(() => {
  pki = createTestPki();
  encryptedRoot = encryptPrivateKeyPem(pki.root.keyPem, PASSPHRASE);
});

function openssl(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync('openssl', args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

describe('encryptPrivateKeyPem', () => {
  it('writes encrypted PKCS#8 with PBKDF2-HMAC-SHA256 (600 000 rounds) and AES-256-CBC', () => {
    expect(encryptedRoot).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    expect(encryptedRoot).not.toContain(pki.root.keyPem.split('\n')[1]);
    expect(isEncryptedPrivateKeyPem(encryptedRoot)).toBe(true);
    expect(isEncryptedPrivateKeyPem(pki.root.keyPem)).toBe(false);
    const files = writeTempFiles({ key: encryptedRoot });
    const { output } = openssl(['asn1parse', '-in', files.key]);
    expect(output).toContain(':PBES2');
    expect(output).toContain(':PBKDF2');
    expect(output).toMatch(/INTEGER\s+:0927C0/); // 600 000
    expect(output).toContain(':hmacWithSHA256');
    expect(output).toContain(':aes-256-cbc');
  });

  it('is read by `openssl pkey -passin` with the right passphrase only', () => {
    const files = writeTempFiles({ key: encryptedRoot });
    const right = openssl(['pkey', '-in', files.key, '-passin', 'env:KHOJ_PASS', '-pubout'], {
      KHOJ_PASS: PASSPHRASE,
    });
    expect(right.status).toBe(0);
    const rootPublicKey = new X509Certificate(pki.root.certPem).publicKey;
    expect(createPublicKey(right.stdout).equals(rootPublicKey)).toBe(true);
    const wrong = openssl(['pkey', '-in', files.key, '-passin', 'env:KHOJ_PASS', '-pubout'], {
      KHOJ_PASS: `${PASSPHRASE}!`,
    });
    expect(wrong.status).not.toBe(0);
  });

  it('uses a fresh salt and IV every time', () => {
    expect(encryptPrivateKeyPem(pki.root.keyPem, PASSPHRASE)).not.toBe(encryptedRoot);
  });

  it('refuses passphrases shorter than 12 characters', () => {
    expect(() => encryptPrivateKeyPem(pki.root.keyPem, 'elevenchars')).toThrow(
      code('ERR_PASSPHRASE_TOO_SHORT'),
    );
    // Counted in characters, not UTF-16 units: six emoji are 12 units but 6 characters.
    expect(() => encryptPrivateKeyPem(pki.root.keyPem, '🔑'.repeat(6))).toThrow(
      code('ERR_PASSPHRASE_TOO_SHORT'),
    );
    expect(isEncryptedPrivateKeyPem(encryptPrivateKeyPem(pki.root.keyPem, 'twelve chars'))).toBe(true);
  });

  it('refuses input that is not an unencrypted private key', () => {
    expect(() => encryptPrivateKeyPem(pki.root.certPem, PASSPHRASE)).toThrow(code('ERR_KEY_INVALID'));
    expect(() => encryptPrivateKeyPem(encryptedRoot, PASSPHRASE)).toThrow(code('ERR_KEY_INVALID'));
  });
});

describe('decryptPrivateKeyPem', () => {
  it('gives back the same key, usable by node-forge to sign an issuing CA', () => {
    const keyPem = decryptPrivateKeyPem(encryptedRoot, PASSPHRASE);
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' })).toEqual(
      createPrivateKey(pki.root.keyPem).export({ type: 'pkcs8', format: 'der' }),
    );
    const issuing = createIssuingCa({ certPem: pki.root.certPem, keyPem }, { commonName: 'khoj issuing 2' });
    const root = new X509Certificate(pki.root.certPem);
    expect(new X509Certificate(issuing.certPem).verify(root.publicKey)).toBe(true);
  });

  it('refuses a wrong passphrase with ERR_PASSPHRASE', () => {
    expect(() => decryptPrivateKeyPem(encryptedRoot, 'correct horse battery stapler')).toThrow(
      code('ERR_PASSPHRASE'),
    );
    expect(() => decryptPrivateKeyPem(encryptedRoot, '')).toThrow(code('ERR_PASSPHRASE'));
  });

  it('reads a key that openssl encrypted', () => {
    const files = writeTempFiles({ key: pki.issuing.keyPem });
    const converted = openssl(
      ['pkcs8', '-topk8', '-in', files.key, '-v2', 'aes-256-cbc', '-passout', 'env:KHOJ_PASS'],
      { KHOJ_PASS: PASSPHRASE },
    );
    expect(converted.status).toBe(0);
    const keyPem = decryptPrivateKeyPem(converted.stdout, PASSPHRASE);
    expect(createPublicKey(keyPem).equals(new X509Certificate(pki.issuing.certPem).publicKey)).toBe(true);
  });

  it('refuses an unencrypted key, so a root key left in clear text is noticed', () => {
    expect(() => decryptPrivateKeyPem(pki.root.keyPem, PASSPHRASE)).toThrow(code('ERR_KEY_INVALID'));
  });
});
