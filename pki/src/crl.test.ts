import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateSerial } from './certificate-info.ts';
import { issueNodeCertificate } from './certificates.ts';
import { type CrlOptions, createCrl, REVOCATION_REASONS } from './crl.ts';
import { parseCrl, verifyCrl } from './crl-verify.ts';
import { createCsr } from './csr.ts';
import { createTestPki, type TestPki, writeTempFiles } from './test-support.ts';

let pki: TestPki;
let foreign: TestPki;
let revokedCert: string;
let goodCert: string;

const DAY = 24 * 60 * 60 * 1000;
const thisUpdate = new Date(Math.floor(Date.now() / 1000) * 1000);
const nextUpdate = new Date(thisUpdate.getTime() + DAY);
const code = (expected: string) => expect.objectContaining({ code: expected });

beforeAll(() => {
  pki = createTestPki('khoj');
  // Same names as ours, different keys: only key identifiers and signatures tell them apart.
  foreign = createTestPki('khoj');
  revokedCert = issueNodeCertificate(pki.issuing, createCsr({ nodeId: 'BD' }).csrPem, { nodeId: 'BD' });
  goodCert = issueNodeCertificate(pki.issuing, createCsr({ nodeId: 'NP' }).csrPem, { nodeId: 'NP' });
});

function crlOptions(overrides: Partial<CrlOptions> = {}): CrlOptions {
  return {
    issuer: pki.issuing,
    revoked: [
      {
        serialHex: certificateSerial(revokedCert),
        revokedAt: new Date(thisUpdate.getTime() - 60_000),
        reason: 'keyCompromise',
      },
      { serialHex: '00ABCDEF0123', revokedAt: thisUpdate, reason: 'superseded' },
      { serialHex: '7fffffff', revokedAt: thisUpdate, reason: 'unspecified' },
    ],
    crlNumber: 7n,
    thisUpdate,
    nextUpdate,
    ...overrides,
  };
}

function openssl(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('createCrl with openssl', () => {
  it('is accepted by `openssl crl -verify` against the issuing CA, as DER and as PEM', () => {
    const crl = createCrl(crlOptions());
    const files = {
      ...writeTempFiles({ 'crl.pem': crl.pem, issuing: pki.issuing.certPem }),
      'crl.der': tempDer(crl.der),
    };
    const der = openssl([
      'crl',
      '-inform',
      'DER',
      '-in',
      files['crl.der'],
      '-CAfile',
      files.issuing,
      '-noout',
      '-verify',
    ]);
    expect(der.output).toContain('verify OK');
    expect(der.status).toBe(0);
    const pem = openssl(['crl', '-in', files['crl.pem'], '-CAfile', files.issuing, '-noout', '-verify']);
    expect(pem.output).toContain('verify OK');
  });

  it('is refused by `openssl crl -verify` against another CA with the same name', () => {
    const files = writeTempFiles({ crl: createCrl(crlOptions()).pem, issuing: foreign.issuing.certPem });
    const result = openssl(['crl', '-in', files.crl, '-CAfile', files.issuing, '-noout', '-verify']);
    expect(result.output).not.toContain('verify OK');
  });

  it('shows the CRL number, key identifier and reasons in `openssl crl -text`', () => {
    const files = writeTempFiles({ crl: createCrl(crlOptions()).pem });
    const { output } = openssl(['crl', '-in', files.crl, '-noout', '-text']);
    expect(output).toContain('Version 2 (0x1)');
    expect(output).toContain('sha256WithRSAEncryption');
    expect(output).toMatch(/X509v3 CRL Number:\s*\n\s*7\n/);
    expect(output).toContain('X509v3 Authority Key Identifier');
    expect(output).toContain(`Serial Number: ${certificateSerial(revokedCert).toUpperCase()}`);
    expect(output).toMatch(/X509v3 CRL Reason Code:\s*\n\s*Key Compromise/);
    expect(output).toMatch(
      /Serial Number: ABCDEF0123\s*\n\s*Revocation Date: .*\n\s*CRL entry extensions:\s*\n\s*X509v3 CRL Reason Code:\s*\n\s*Superseded/,
    );
    // RFC 5280 §5.3.1: "unspecified" is written as no reason code at all.
    expect(output).toMatch(
      /Serial Number: 7FFFFFFF\s*\n\s*Revocation Date: [^\n]*\n(?!\s*CRL entry extensions)/,
    );
  });

  it('makes `openssl verify -crl_check` refuse the revoked node certificate and accept another', () => {
    const files = writeTempFiles({
      crl: createCrl(crlOptions()).pem,
      cas: pki.root.certPem + pki.issuing.certPem,
      revoked: revokedCert,
      good: goodCert,
    });
    const check = (cert: string) =>
      openssl(['verify', '-crl_check', '-CRLfile', files.crl, '-CAfile', files.cas, cert]);
    const refused = check(files.revoked);
    expect(refused.output).toContain('certificate revoked');
    expect(refused.status).not.toBe(0);
    const accepted = check(files.good);
    expect(accepted.output).toContain(`${files.good}: OK`);
    expect(accepted.status).toBe(0);
  });

  it('writes a valid empty CRL with no revokedCertificates field', () => {
    const crl = createCrl(crlOptions({ revoked: [], crlNumber: 1 }));
    const files = writeTempFiles({
      crl: crl.pem,
      issuing: pki.issuing.certPem,
      cas: pki.root.certPem + pki.issuing.certPem,
      cert: revokedCert,
    });
    const verified = openssl([
      'crl',
      '-in',
      files.crl,
      '-CAfile',
      files.issuing,
      '-noout',
      '-verify',
      '-text',
    ]);
    expect(verified.output).toContain('verify OK');
    expect(verified.output).toContain('No Revoked Certificates.');
    const chain = openssl(['verify', '-crl_check', '-CRLfile', files.crl, '-CAfile', files.cas, files.cert]);
    expect(chain.status).toBe(0);
    expect(verifyCrl(crl.der, pki.issuing.certPem).entries).toEqual([]);
  });
});

describe('parseCrl', () => {
  it('reads back what createCrl wrote, from DER and from PEM', () => {
    const crl = createCrl(crlOptions());
    const parsed = parseCrl(crl.der);
    expect(parseCrl(crl.pem)).toEqual(parsed);
    expect(parsed.issuer).toBe(new X509Certificate(pki.issuing.certPem).subject);
    expect(parsed.thisUpdate).toEqual(thisUpdate);
    expect(parsed.nextUpdate).toEqual(nextUpdate);
    expect(parsed.crlNumber).toBe(7n);
    expect(parsed.entries).toEqual([
      {
        serialHex: certificateSerial(revokedCert),
        revokedAt: new Date(thisUpdate.getTime() - 60_000),
        reason: 'keyCompromise',
      },
      { serialHex: 'abcdef0123', revokedAt: thisUpdate, reason: 'superseded' },
      { serialHex: '7fffffff', revokedAt: thisUpdate, reason: 'unspecified' },
    ]);
    const ski = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(opensslText(pki.issuing.certPem))?.[1];
    expect(parsed.authorityKeyId).toBe(ski?.replaceAll(':', '').toLowerCase());
  });

  it('keeps every reason code, big CRL numbers and dates from 2050 on (GeneralizedTime)', () => {
    const reasons = Object.keys(REVOCATION_REASONS).filter((reason) => reason !== 'removeFromCRL');
    const revoked = reasons.map((reason, index) => ({
      serialHex: (index + 1).toString(16).padStart(2, '0'),
      revokedAt: thisUpdate,
      reason: reason as keyof typeof REVOCATION_REASONS,
    }));
    const far = new Date('2051-03-04T05:06:07Z');
    const crl = createCrl(crlOptions({ revoked, crlNumber: 2n ** 100n, nextUpdate: far }));
    const parsed = verifyCrl(crl.der, pki.issuing.certPem);
    expect(parsed.entries.map((entry) => entry.reason)).toEqual(reasons);
    expect(parsed.crlNumber).toBe(2n ** 100n);
    expect(parsed.nextUpdate).toEqual(far);
    const files = writeTempFiles({ crl: crl.pem, issuing: pki.issuing.certPem });
    expect(
      openssl(['crl', '-in', files.crl, '-CAfile', files.issuing, '-noout', '-verify']).output,
    ).toContain('verify OK');
  });

  it('refuses bytes that are not a CRL', () => {
    expect(() => parseCrl(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrow(code('ERR_CRL_INVALID'));
    expect(() => parseCrl(pki.issuing.certPem)).toThrow(code('ERR_CRL_INVALID'));
    const der = createCrl(crlOptions()).der;
    expect(() => parseCrl(der.subarray(0, der.length - 1))).toThrow(code('ERR_CRL_INVALID'));
  });
});

describe('verifyCrl', () => {
  it('accepts a CRL from the issuing CA and returns its contents', () => {
    const crl = createCrl(crlOptions());
    expect(verifyCrl(crl.pem, pki.issuing.certPem).entries).toHaveLength(3);
  });

  it('refuses a CRL whose signed part was changed (an entry removed by editing its serial)', () => {
    const crl = createCrl(crlOptions());
    const tampered = Buffer.from(crl.der);
    const serial = Buffer.from(certificateSerial(revokedCert), 'hex');
    const at = tampered.indexOf(serial);
    expect(at).toBeGreaterThan(0);
    tampered[at + serial.length - 1] = (tampered[at + serial.length - 1] ?? 0) ^ 0x01;
    expect(parseCrl(tampered).entries[0]?.serialHex).not.toBe(certificateSerial(revokedCert));
    expect(() => verifyCrl(tampered, pki.issuing.certPem)).toThrow(code('ERR_SIGNATURE_INVALID'));
  });

  it('refuses a CRL whose signature bytes were changed', () => {
    const tampered = Buffer.from(createCrl(crlOptions()).der);
    tampered[tampered.length - 5] = (tampered[tampered.length - 5] ?? 0) ^ 0xff;
    expect(() => verifyCrl(tampered, pki.issuing.certPem)).toThrow(code('ERR_SIGNATURE_INVALID'));
  });

  it('refuses a CRL checked against the wrong CA: the root, or a look-alike issuing CA', () => {
    const crl = createCrl(crlOptions()).der;
    expect(() => verifyCrl(crl, pki.root.certPem)).toThrow(code('ERR_SIGNATURE_INVALID'));
    expect(() => verifyCrl(crl, foreign.issuing.certPem)).toThrow(code('ERR_SIGNATURE_INVALID'));
    expect(() =>
      verifyCrl(createCrl(crlOptions({ issuer: foreign.issuing })).der, pki.issuing.certPem),
    ).toThrow(code('ERR_SIGNATURE_INVALID'));
  });

  it('checks freshness only when asked, against an injected clock', () => {
    const crl = createCrl(crlOptions()).der;
    expect(() => verifyCrl(crl, pki.issuing.certPem, { now: new Date(nextUpdate.getTime() + 1000) })).toThrow(
      code('ERR_CRL_EXPIRED'),
    );
    expect(() => verifyCrl(crl, pki.issuing.certPem, { now: new Date(thisUpdate.getTime() - 1000) })).toThrow(
      code('ERR_CRL_NOT_YET_VALID'),
    );
    expect(() =>
      verifyCrl(crl, pki.issuing.certPem, { now: new Date(thisUpdate.getTime() + 1000) }),
    ).not.toThrow();
  });
});

describe('createCrl input checks', () => {
  const entry = { serialHex: '01', revokedAt: thisUpdate, reason: 'keyCompromise' as const };

  it.each([
    ['nextUpdate not after thisUpdate', { nextUpdate: thisUpdate }],
    ['a negative CRL number', { crlNumber: -1 }],
    ['a CRL number over 20 octets', { crlNumber: 2n ** 160n }],
    ['a fractional CRL number', { crlNumber: 1.5 }],
    ['nextUpdate within the same second', { nextUpdate: new Date(thisUpdate.getTime() + 500) }],
    ['a serial listed twice', { revoked: [entry, { ...entry, serialHex: '0001' }] }],
    ['a serial that is not hex', { revoked: [{ ...entry, serialHex: 'xyz' }] }],
    ['serial zero', { revoked: [{ ...entry, serialHex: '00' }] }],
    ['an unknown reason', { revoked: [{ ...entry, reason: 'tired' as 'keyCompromise' }] }],
    ['removeFromCRL in a full CRL', { revoked: [{ ...entry, reason: 'removeFromCRL' as const }] }],
    ['an invalid revocation date', { revoked: [{ ...entry, revokedAt: new Date(Number.NaN) }] }],
  ])('refuses %s', (_name, overrides) => {
    expect(() => createCrl(crlOptions(overrides as Partial<CrlOptions>))).toThrow(code('ERR_CRL_INVALID'));
  });

  it('refuses CA material whose key does not match its certificate', () => {
    const issuer = { certPem: pki.issuing.certPem, keyPem: pki.root.keyPem };
    expect(() => createCrl(crlOptions({ issuer }))).toThrow(code('ERR_KEY_INVALID'));
  });
});

function opensslText(certPem: string): string {
  const files = writeTempFiles({ cert: certPem });
  return openssl(['x509', '-in', files.cert, '-noout', '-text']).output;
}

/** writeTempFiles writes text; DER needs its raw bytes. */
function tempDer(bytes: Uint8Array): string {
  const path = join(dirname(writeTempFiles({ placeholder: '' }).placeholder), 'crl.der');
  writeFileSync(path, bytes);
  return path;
}
