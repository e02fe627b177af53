import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateValidity, nodeIdFromCertificate } from './certificate-info.ts';
import { issueNodeCertificate, issueServerCertificate } from './certificates.ts';
import { createCsr, inspectCsr } from './csr.ts';
import { createTestPki, type TestPki, writeTempFiles } from './test-support.ts';

let pki: TestPki;
let csr: { csrPem: string; keyPem: string };

beforeAll(() => {
  pki = createTestPki();
  csr = createCsr({ nodeId: 'IN-WB' });
});

function forgeRsaKey(bits: number): forge.pki.rsa.PrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}

/** A CSR built by hand, so tests can make the ones createCsr refuses to make. */
function handmadeCsr(options: {
  commonName: string;
  key: forge.pki.rsa.PrivateKey;
  signer?: forge.pki.rsa.PrivateKey;
}) {
  const request = forge.pki.createCertificationRequest();
  request.publicKey = forge.pki.setRsaPublicKey(options.key.n, options.key.e);
  request.setSubject([{ name: 'commonName', value: options.commonName }]);
  request.sign(options.signer ?? options.key, forge.md.sha256.create());
  return forge.pki.certificationRequestToPem(request);
}

const code = (expected: string) => expect.objectContaining({ code: expected });

describe('createCsr', () => {
  it('names the node in the subject and requests its SAN URI', () => {
    const files = writeTempFiles({ csr: csr.csrPem });
    const text = execFileSync('openssl', ['req', '-in', files.csr, '-noout', '-text', '-verify'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(text).toMatch(/Subject: O\s*=\s*khoj federation, CN\s*=\s*IN-WB/);
    expect(text).toContain('URI:urn:khoj:node:IN-WB');
    expect(text).toContain('Public-Key: (3072 bit)');
  });

  it('summarises a verified CSR for the approving administrator', () => {
    expect(inspectCsr(csr.csrPem)).toEqual({
      commonName: 'IN-WB',
      keyBits: 3072,
      requestedUris: ['urn:khoj:node:IN-WB'],
    });
  });

  it('refuses an invalid node id', () => {
    expect(() => createCsr({ nodeId: 'west-bengal' })).toThrow(code('ERR_NODE_ID_INVALID'));
  });
});

describe('issueNodeCertificate', () => {
  it('issues a client certificate bound to the node id', () => {
    const certPem = issueNodeCertificate(pki.issuing, csr.csrPem, { nodeId: 'IN-WB' });
    const cert = new X509Certificate(certPem);
    expect(cert.ca).toBe(false);
    expect(cert.subjectAltName).toBe('URI:urn:khoj:node:IN-WB');
    expect(cert.subject).toContain('CN=IN-WB');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']); // Node reports the EKU here: clientAuth
    // the certificate carries the CSR's key, not a new one
    expect(cert.checkPrivateKey(createPrivateKey(csr.keyPem))).toBe(true);
    expect(nodeIdFromCertificate(certPem)).toBe('IN-WB');
  });

  it('lasts 90 days by default, never beyond the issuing CA', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const certPem = issueNodeCertificate(pki.issuing, csr.csrPem, { nodeId: 'IN-WB', now });
    expect(certificateValidity(certPem).notAfter.toISOString()).toBe('2030-04-01T00:00:00.000Z');
    const late = issueNodeCertificate(pki.issuing, csr.csrPem, { nodeId: 'IN-WB', validityDays: 100_000 });
    expect(certificateValidity(late).notAfter).toEqual(certificateValidity(pki.issuing.certPem).notAfter);
  });

  it('refuses a CSR with an RSA-1024 key', () => {
    const weak = handmadeCsr({ commonName: 'IN-WB', key: forgeRsaKey(1024) });
    expect(() => issueNodeCertificate(pki.issuing, weak, { nodeId: 'IN-WB' })).toThrow(
      code('ERR_KEY_TOO_WEAK'),
    );
  });

  it('refuses a CSR signed with a key other than the one it carries', () => {
    const forged = handmadeCsr({ commonName: 'IN-WB', key: forgeRsaKey(3072), signer: forgeRsaKey(3072) });
    expect(() => issueNodeCertificate(pki.issuing, forged, { nodeId: 'IN-WB' })).toThrow(
      code('ERR_CSR_SIGNATURE_INVALID'),
    );
  });

  it('refuses a CSR whose content was changed after signing', () => {
    const other = createCsr({ nodeId: 'IN-BR' });
    // Splice IN-BR's public key into IN-WB's signed request: the signature no longer matches.
    // (A replacer function, because the binary string may contain `$&`-style patterns.)
    const parsed = forge.pki.certificationRequestFromPem(csr.csrPem);
    const otherKey = forge.pki.certificationRequestFromPem(other.csrPem).publicKey;
    const der = forge.asn1.toDer(forge.pki.certificationRequestToAsn1(parsed)).getBytes();
    const oldSpki = forge.asn1
      .toDer(forge.pki.publicKeyToAsn1(parsed.publicKey as forge.pki.PublicKey))
      .getBytes();
    const newSpki = forge.asn1.toDer(forge.pki.publicKeyToAsn1(otherKey as forge.pki.PublicKey)).getBytes();
    expect(der.includes(oldSpki)).toBe(true);
    const tampered = forge.pem.encode({
      type: 'CERTIFICATE REQUEST',
      body: der.replace(oldSpki, () => newSpki),
    });
    expect(() => issueNodeCertificate(pki.issuing, tampered, { nodeId: 'IN-WB' })).toThrow(
      code('ERR_CSR_SIGNATURE_INVALID'),
    );
  });

  it("refuses a CSR for another node's id", () => {
    expect(() => issueNodeCertificate(pki.issuing, csr.csrPem, { nodeId: 'IN-BR' })).toThrow(
      code('ERR_CSR_INVALID'),
    );
  });

  it('refuses an invalid node id and input that is not a CSR', () => {
    expect(() => issueNodeCertificate(pki.issuing, csr.csrPem, { nodeId: 'in-wb' })).toThrow(
      code('ERR_NODE_ID_INVALID'),
    );
    expect(() => issueNodeCertificate(pki.issuing, pki.root.certPem, { nodeId: 'IN-WB' })).toThrow(
      code('ERR_CSR_INVALID'),
    );
  });

  it('is accepted by openssl verify through the issuing CA', () => {
    const node = issueNodeCertificate(pki.issuing, csr.csrPem, { nodeId: 'IN-WB' });
    const files = writeTempFiles({ root: pki.root.certPem, issuing: pki.issuing.certPem, node });
    const out = execFileSync(
      'openssl',
      ['verify', '-purpose', 'sslclient', '-CAfile', files.root, '-untrusted', files.issuing, files.node],
      { encoding: 'utf8' },
    );
    expect(out.trim()).toBe(`${files.node}: OK`);
  });
});

describe('issueServerCertificate', () => {
  it('issues a server certificate with DNS and IP names that openssl accepts for TLS servers', () => {
    const server = issueServerCertificate(pki.issuing, {
      commonName: 'hub.khoj.test',
      dnsNames: ['hub.khoj.test', 'localhost'],
      ipAddresses: ['127.0.0.1', '::1'],
    });
    const cert = new X509Certificate(server.certPem);
    expect(cert.checkHost('hub.khoj.test')).toBe('hub.khoj.test');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBe('::1');
    const files = writeTempFiles({
      root: pki.root.certPem,
      issuing: pki.issuing.certPem,
      server: server.certPem,
    });
    const out = execFileSync(
      'openssl',
      ['verify', '-purpose', 'sslserver', '-CAfile', files.root, '-untrusted', files.issuing, files.server],
      { encoding: 'utf8' },
    );
    expect(out.trim()).toBe(`${files.server}: OK`);
  });

  it('refuses a certificate without any subject alternative name or with a bad IP', () => {
    const base = { commonName: 'hub', dnsNames: [] as string[], ipAddresses: [] as string[] };
    expect(() => issueServerCertificate(pki.issuing, base)).toThrow(TypeError);
    expect(() => issueServerCertificate(pki.issuing, { ...base, ipAddresses: ['300.1.1.1'] })).toThrow(
      TypeError,
    );
  });
});
