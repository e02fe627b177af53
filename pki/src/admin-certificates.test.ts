import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROLES, adminFromCertificate, issueAdminCertificate } from './admin-certificates.ts';
import { nodeIdFromCertificate } from './certificate-info.ts';
import { issueNodeCertificate } from './certificates.ts';
import { verifyCertificateChain } from './chain.ts';
import { createCsr } from './csr.ts';
import { createTestPki, type TestPki, writeTempFiles } from './test-support.ts';
import { issueFixtureCertificate } from './testing/certificate-fixtures.ts';

let pki: TestPki;
let adminKey: ReturnType<typeof rsaKeyPair>;
let nodeCert: string;

const code = (expected: string) => expect.objectContaining({ code: expected });

function rsaKeyPair(bits = 3072) {
  return generateKeyPairSync('rsa', { modulusLength: bits });
}

function openssl(args: string[]) {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

beforeAll(() => {
  pki = createTestPki();
  adminKey = rsaKeyPair();
  nodeCert = issueNodeCertificate(pki.issuing, createCsr({ nodeId: 'BD' }).csrPem, { nodeId: 'BD' });
});

describe('issueAdminCertificate', () => {
  it('carries name and role as SAN URIs, clientAuth only, and chains to the root', () => {
    const certPem = issueAdminCertificate(pki.issuing, adminKey.publicKey, {
      adminName: 'asha',
      role: 'approver',
    });
    const files = writeTempFiles({ cert: certPem, root: pki.root.certPem, issuing: pki.issuing.certPem });
    const text = openssl(['x509', '-in', files.cert, '-noout', '-text']).output;
    expect(text).toContain('URI:urn:khoj:admin:asha, URI:urn:khoj:admin-role:approver');
    expect(text).toMatch(/Subject: O\s*=\s*khoj federation, OU\s*=\s*administrators, CN\s*=\s*asha/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/Extended Key Usage:\s*\n\s*TLS Web Client Authentication\n/);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    const verified = openssl([
      'verify',
      '-purpose',
      'sslclient',
      '-CAfile',
      files.root,
      '-untrusted',
      files.issuing,
      files.cert,
    ]);
    expect(verified.output.trim()).toBe(`${files.cert}: OK`);
    expect(() =>
      verifyCertificateChain(certPem, { intermediates: [pki.issuing.certPem], root: pki.root.certPem }),
    ).not.toThrow();
    expect(new X509Certificate(certPem).publicKey.equals(adminKey.publicKey)).toBe(true);
  });

  it('takes the key from a CSR made by openssl, ignoring the names it asks for', () => {
    const files = writeTempFiles({ placeholder: '' });
    const keyPath = `${files.placeholder}.key`;
    const made = openssl([
      'req',
      '-new',
      '-newkey',
      'rsa:3072',
      '-nodes',
      '-keyout',
      keyPath,
      '-subj',
      '/CN=urn:khoj:node:BD',
      '-addext',
      'subjectAltName=URI:urn:khoj:node:BD',
    ]);
    expect(made.status).toBe(0);
    const certPem = issueAdminCertificate(pki.issuing, made.stdout, { adminName: 'ravi', role: 'auditor' });
    expect(adminFromCertificate(certPem)).toEqual({ name: 'ravi', role: 'auditor' });
    expect(new X509Certificate(certPem).subjectAltName).not.toContain('urn:khoj:node');
  });

  it('sets the requested validity, never beyond the issuing CA', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const cert = new X509Certificate(
      issueAdminCertificate(pki.issuing, adminKey.publicKey, {
        adminName: 'asha',
        role: 'admin',
        validityDays: 30,
        now,
      }),
    );
    expect(cert.validToDate.toISOString()).toBe('2030-01-31T00:00:00.000Z');
  });

  it.each([
    ['an upper-case name (it could read as a node id)', { adminName: 'BD' }],
    ['an empty name', { adminName: '' }],
    ['a name with a colon', { adminName: 'asha:admin' }],
    ['a name over 64 characters', { adminName: 'a'.repeat(65) }],
    ['an unknown role', { role: 'root' }],
  ])('refuses %s with ERR_ADMIN_INVALID', (_name, overrides) => {
    const options = { adminName: 'asha', role: 'admin', ...overrides } as Parameters<
      typeof issueAdminCertificate
    >[2];
    expect(() => issueAdminCertificate(pki.issuing, adminKey.publicKey, options)).toThrow(
      code('ERR_ADMIN_INVALID'),
    );
  });

  it('refuses weak, non-RSA and private keys', () => {
    const options = { adminName: 'asha', role: 'admin' } as const;
    expect(() => issueAdminCertificate(pki.issuing, rsaKeyPair(2048).publicKey, options)).toThrow(
      code('ERR_KEY_TOO_WEAK'),
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => issueAdminCertificate(pki.issuing, ec.publicKey, options)).toThrow(code('ERR_KEY_INVALID'));
    expect(() => issueAdminCertificate(pki.issuing, adminKey.privateKey, options)).toThrow(
      code('ERR_KEY_INVALID'),
    );
  });
});

describe('adminFromCertificate', () => {
  it.each(ADMIN_ROLES)('reads the %s role back, from PEM and from an X509Certificate', (role) => {
    const certPem = issueAdminCertificate(pki.issuing, adminKey.publicKey, { adminName: 'asha.k@wb', role });
    expect(adminFromCertificate(certPem)).toEqual({ name: 'asha.k@wb', role });
    expect(adminFromCertificate(new X509Certificate(certPem))).toEqual({ name: 'asha.k@wb', role });
  });

  it('refuses a node certificate, a CA certificate and garbage', () => {
    expect(() => adminFromCertificate(nodeCert)).toThrow(code('ERR_NOT_ADMIN_CERT'));
    expect(() => adminFromCertificate(pki.issuing.certPem)).toThrow(code('ERR_NOT_ADMIN_CERT'));
    expect(() => adminFromCertificate('not a certificate')).toThrow(code('ERR_NOT_ADMIN_CERT'));
  });

  it.each([
    [
      'a node and an admin identity',
      ['urn:khoj:node:BD', 'urn:khoj:admin:asha', 'urn:khoj:admin-role:admin'],
    ],
    ['two administrators', ['urn:khoj:admin:asha', 'urn:khoj:admin:ravi', 'urn:khoj:admin-role:admin']],
    ['two roles', ['urn:khoj:admin:asha', 'urn:khoj:admin-role:auditor', 'urn:khoj:admin-role:admin']],
    ['no role', ['urn:khoj:admin:asha']],
    ['an unknown role', ['urn:khoj:admin:asha', 'urn:khoj:admin-role:superuser']],
    ['a malformed name', ['urn:khoj:admin:Asha', 'urn:khoj:admin-role:admin']],
  ])('refuses a certificate with %s', (_name, uris) => {
    const { certPem } = issueFixtureCertificate(pki.issuing, {
      commonName: 'asha',
      uris,
      keyUsage: { digitalSignature: true },
      extendedKeyUsage: { clientAuth: true },
    });
    expect(() => adminFromCertificate(certPem)).toThrow(code('ERR_NOT_ADMIN_CERT'));
  });
});

describe('node and admin identities stay apart', () => {
  it('nodeIdFromCertificate refuses an admin certificate', () => {
    const certPem = issueAdminCertificate(pki.issuing, adminKey.publicKey, {
      adminName: 'asha',
      role: 'admin',
    });
    expect(() => nodeIdFromCertificate(certPem)).toThrow(code('ERR_NODE_ID_INVALID'));
  });

  it('nodeIdFromCertificate refuses an admin URI even when the CN is a valid node id', () => {
    // Without the explicit check, the CN fallback would read this certificate as node BD.
    const { certPem } = issueFixtureCertificate(pki.issuing, {
      commonName: 'BD',
      uris: ['urn:khoj:admin:bd', 'urn:khoj:admin-role:admin'],
      keyUsage: { digitalSignature: true },
      extendedKeyUsage: { clientAuth: true },
    });
    expect(() => nodeIdFromCertificate(certPem)).toThrow(code('ERR_NODE_ID_INVALID'));
    const shouting = issueFixtureCertificate(pki.issuing, { commonName: 'BD', uris: ['URN:KHOJ:ADMIN:bd'] });
    expect(() => nodeIdFromCertificate(shouting.certPem)).toThrow(code('ERR_NODE_ID_INVALID'));
  });
});
