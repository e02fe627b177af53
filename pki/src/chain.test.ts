import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateSerial, nodeIdFromCertificate, nodeIdFromX509 } from './certificate-info.ts';
import { issueNodeCertificate, issueServerCertificate } from './certificates.ts';
import { verifyCertificateChain } from './chain.ts';
import { createCsr } from './csr.ts';
import { certificateFingerprint } from './fingerprint.ts';
import { createTestPki, type TestPki, writeTempFiles } from './test-support.ts';

let pki: TestPki;
let foreign: TestPki;
let node: { csrPem: string; keyPem: string };
let nodeCert: string;

beforeAll(() => {
  pki = createTestPki('khoj');
  foreign = createTestPki('impostor');
  node = createCsr({ nodeId: 'BD' });
  nodeCert = issueNodeCertificate(pki.issuing, node.csrPem, { nodeId: 'BD' });
});

const code = (expected: string) => expect.objectContaining({ code: expected });
const DAY = 24 * 60 * 60 * 1000;

describe('verifyCertificateChain', () => {
  it('accepts root -> issuing -> node', () => {
    expect(() =>
      verifyCertificateChain(nodeCert, { intermediates: [pki.issuing.certPem], root: pki.root.certPem }),
    ).not.toThrow();
  });

  it('rejects a certificate from a foreign CA, even one with the same node id', () => {
    const impostor = issueNodeCertificate(foreign.issuing, createCsr({ nodeId: 'BD' }).csrPem, {
      nodeId: 'BD',
    });
    expect(() =>
      verifyCertificateChain(impostor, { intermediates: [pki.issuing.certPem], root: pki.root.certPem }),
    ).toThrow(code('ERR_CERT_CHAIN_INVALID'));
    // Offering the foreign issuing CA as an intermediate does not help: it does not lead to our root.
    expect(() =>
      verifyCertificateChain(impostor, {
        intermediates: [foreign.issuing.certPem, pki.issuing.certPem],
        root: pki.root.certPem,
      }),
    ).toThrow(code('ERR_CERT_CHAIN_INVALID'));
  });

  it('rejects a chain that is missing its intermediate', () => {
    expect(() => verifyCertificateChain(nodeCert, { intermediates: [], root: pki.root.certPem })).toThrow(
      code('ERR_CERT_CHAIN_INVALID'),
    );
  });

  it('rejects an expired certificate', () => {
    const now = new Date(Date.now() - 200 * DAY);
    const old = issueNodeCertificate(pki.issuing, node.csrPem, { nodeId: 'BD', validityDays: 90, now });
    expect(() =>
      verifyCertificateChain(old, { intermediates: [pki.issuing.certPem], root: pki.root.certPem }),
    ).toThrow(code('ERR_CERT_EXPIRED'));
  });

  it('rejects a certificate that is not valid yet, and honours the injected clock', () => {
    const options = { intermediates: [pki.issuing.certPem], root: pki.root.certPem };
    expect(() => verifyCertificateChain(nodeCert, { ...options, now: new Date(Date.now() - DAY) })).toThrow(
      code('ERR_CERT_NOT_YET_VALID'),
    );
    expect(() =>
      verifyCertificateChain(nodeCert, { ...options, now: new Date(Date.now() + 91 * DAY) }),
    ).toThrow(code('ERR_CERT_EXPIRED'));
  });

  it('rejects a CA certificate presented as the leaf', () => {
    expect(() =>
      verifyCertificateChain(pki.issuing.certPem, { intermediates: [], root: pki.root.certPem }),
    ).toThrow(code('ERR_CERT_CHAIN_INVALID'));
  });

  it('enforces pathlen 0 on the issuing CA: a sub-CA it signed cannot vouch for anyone', () => {
    // Mint the sub-CA by hand: issuance through this package never produces one.
    const issuingCert = forge.pki.certificateFromPem(pki.issuing.certPem);
    const issuingKey = forge.pki.privateKeyFromPem(pki.issuing.keyPem);
    const subCa = forge.pki.createCertificate();
    subCa.publicKey = forge.pki.certificateFromPem(foreign.issuing.certPem).publicKey;
    subCa.serialNumber = '4a';
    subCa.validity.notBefore = new Date(Date.now() - DAY);
    subCa.validity.notAfter = new Date(Date.now() + DAY);
    subCa.setSubject(forge.pki.certificateFromPem(foreign.issuing.certPem).subject.attributes);
    subCa.setIssuer(issuingCert.subject.attributes);
    subCa.setExtensions([{ name: 'basicConstraints', cA: true, critical: true }]);
    subCa.sign(issuingKey, forge.md.sha256.create());
    const leaf = issueNodeCertificate(foreign.issuing, createCsr({ nodeId: 'NP' }).csrPem, { nodeId: 'NP' });
    const subCaPem = forge.pki.certificateToPem(subCa);
    expect(() =>
      verifyCertificateChain(leaf, {
        intermediates: [subCaPem, pki.issuing.certPem],
        root: pki.root.certPem,
      }),
    ).toThrow(code('ERR_CERT_CHAIN_INVALID'));
  });

  it('rejects input that is not a certificate', () => {
    expect(() => verifyCertificateChain('nonsense', { intermediates: [], root: pki.root.certPem })).toThrow(
      code('ERR_CERT_CHAIN_INVALID'),
    );
  });
});

describe('certificate facts', () => {
  it('reads the node id from the SAN URI', () => {
    expect(nodeIdFromCertificate(nodeCert)).toBe('BD');
    expect(nodeIdFromX509(new X509Certificate(nodeCert))).toBe('BD');
  });

  it('falls back to the CN when there is no khoj SAN URI, and refuses a CN that is no node id', () => {
    const server = issueServerCertificate(pki.issuing, {
      commonName: 'NP',
      dnsNames: ['np.test'],
      ipAddresses: [],
    });
    expect(nodeIdFromCertificate(server.certPem)).toBe('NP');
    expect(() => nodeIdFromCertificate(pki.root.certPem)).toThrow(code('ERR_NODE_ID_INVALID'));
  });

  it('matches openssl for fingerprint and serial', () => {
    const files = writeTempFiles({ cert: nodeCert });
    const fingerprint = execFileSync(
      'openssl',
      ['x509', '-in', files.cert, '-noout', '-fingerprint', '-sha256'],
      {
        encoding: 'utf8',
      },
    );
    expect(fingerprint.trim().split('=')[1]?.replaceAll(':', '').toLowerCase()).toBe(
      certificateFingerprint(nodeCert),
    );
    const serial = execFileSync('openssl', ['x509', '-in', files.cert, '-noout', '-serial'], {
      encoding: 'utf8',
    });
    expect(serial.trim()).toBe(`serial=${certificateSerial(nodeCert).toUpperCase()}`);
  });

  it('identifies the peer of a real mutual-TLS connection', async () => {
    const server = issueServerCertificate(pki.issuing, {
      commonName: 'hub',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    });
    const chain = (leaf: string) => leaf + pki.issuing.certPem;
    const peer = await new Promise<string>((resolve, reject) => {
      const hub = createServer(
        {
          key: server.keyPem,
          cert: chain(server.certPem),
          ca: pki.root.certPem,
          requestCert: true,
          rejectUnauthorized: true,
        },
        (socket) => {
          const cert = socket.getPeerX509Certificate();
          socket.end(cert ? nodeIdFromX509(cert) : 'none');
        },
      );
      hub.listen(0, '127.0.0.1', () => {
        const { port } = hub.address() as AddressInfo;
        const client = connect({
          host: '127.0.0.1',
          port,
          servername: 'localhost',
          key: node.keyPem,
          cert: chain(nodeCert),
          ca: pki.root.certPem,
        });
        let answer = '';
        client.setEncoding('utf8');
        client.on('data', (chunk: string) => {
          answer += chunk;
        });
        client.on('end', () => {
          hub.close();
          resolve(answer);
        });
        client.on('error', (error) => {
          hub.close();
          reject(error);
        });
      });
    });
    expect(peer).toBe('BD');
  });
});
