import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertCaMaterial, createIssuingCa } from './ca.ts';
import { certificateSerial } from './certificate-info.ts';
import { isPkiError } from './errors.ts';
import { createTestPki, type TestPki, writeTempFiles } from './test-support.ts';

let pki: TestPki;

beforeAll(() => {
  pki = createTestPki();
});

function opensslText(certPem: string): string {
  const { cert } = writeTempFiles({ cert: certPem });
  return execFileSync('openssl', ['x509', '-in', cert, '-noout', '-text'], { encoding: 'utf8' });
}

describe('createRootCa', () => {
  it('makes a self-signed CA certificate with critical CA constraints and key usage', () => {
    const cert = new X509Certificate(pki.root.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    const text = opensslText(pki.root.certPem);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/);
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toContain('Subject Key Identifier');
    expect(text).toContain('sha256WithRSAEncryption');
    expect(text).toContain('Public-Key: (3072 bit)');
  });

  it('uses a positive serial of 16 bytes, different every time', () => {
    const serial = certificateSerial(pki.root.certPem);
    expect(serial).toMatch(/^[4-7][0-9a-f]{31}$/);
    expect(certificateSerial(pki.issuing.certPem)).not.toBe(serial);
  });
});

describe('createIssuingCa', () => {
  it('is signed by the root, limited to pathlen 0, and names the root key in its AKI', () => {
    const root = new X509Certificate(pki.root.certPem);
    const issuing = new X509Certificate(pki.issuing.certPem);
    expect(issuing.checkIssued(root)).toBe(true);
    expect(issuing.verify(root.publicKey)).toBe(true);
    const rootSki = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(opensslText(pki.root.certPem))?.[1];
    const text = opensslText(pki.issuing.certPem);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(rootSki).toBeDefined();
    expect(/Authority Key Identifier:\s*\n\s*(?:keyid:)?([0-9A-F:]+)/.exec(text)?.[1]).toBe(rootSki);
  });

  it('is accepted by openssl verify against the root', () => {
    const files = writeTempFiles({ root: pki.root.certPem, issuing: pki.issuing.certPem });
    const out = execFileSync('openssl', ['verify', '-CAfile', files.root, files.issuing], {
      encoding: 'utf8',
    });
    expect(out.trim()).toBe(`${files.issuing}: OK`);
  });

  it('refuses CA material whose key does not belong to the certificate', () => {
    const mismatched = { certPem: pki.root.certPem, keyPem: pki.issuing.keyPem };
    expect(() => assertCaMaterial(mismatched)).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
    try {
      createIssuingCa(mismatched, { commonName: 'never' });
      expect.unreachable();
    } catch (error) {
      expect(isPkiError(error, 'ERR_KEY_INVALID')).toBe(true);
    }
  });

  it('refuses RSA keys below 3072 bits', () => {
    expect(() => createIssuingCa(pki.root, { commonName: 'weak', keyBits: 2048 })).toThrow(
      expect.objectContaining({ code: 'ERR_KEY_TOO_WEAK' }),
    );
  });
});
