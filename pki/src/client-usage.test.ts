import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminFromCertificate, issueAdminCertificate } from './admin-certificates.ts';
import { issueNodeCertificate, issueServerCertificate } from './certificates.ts';
import { assertClientCertificateUsage } from './client-usage.ts';
import { createCsr } from './csr.ts';
import { createTestPki, type TestPki, writeTempFiles } from './test-support.ts';
import {
  issueFixtureCertificate,
  issueNoDigitalSignatureCertificate,
  issueServerOnlyCertificate,
} from './testing/certificate-fixtures.ts';

let pki: TestPki;
const code = (expected: string) => expect.objectContaining({ code: expected });

beforeAll(() => {
  pki = createTestPki();
});

describe('assertClientCertificateUsage', () => {
  it('accepts node and admin certificates', () => {
    const node = issueNodeCertificate(pki.issuing, createCsr({ nodeId: 'BD' }).csrPem, { nodeId: 'BD' });
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const admin = issueAdminCertificate(pki.issuing, publicKey, { adminName: 'asha', role: 'admin' });
    expect(() => assertClientCertificateUsage(node)).not.toThrow();
    expect(() => assertClientCertificateUsage(new X509Certificate(admin))).not.toThrow();
  });

  it('refuses the hub server certificate and a serverAuth-only certificate naming a node', () => {
    const server = issueServerCertificate(pki.issuing, {
      commonName: 'hub',
      dnsNames: ['localhost'],
      ipAddresses: [],
    });
    expect(() => assertClientCertificateUsage(server.certPem)).toThrow(code('ERR_CERT_USAGE'));
    const serverOnly = issueServerOnlyCertificate(pki.issuing, ['urn:khoj:node:BD']);
    expect(() => assertClientCertificateUsage(serverOnly.certPem)).toThrow(code('ERR_CERT_USAGE'));
  });

  it('refuses clientAuth without digitalSignature, and certificates missing either extension', () => {
    const noSignature = issueNoDigitalSignatureCertificate(pki.issuing, ['urn:khoj:node:BD']);
    expect(() => assertClientCertificateUsage(noSignature.certPem)).toThrow(code('ERR_CERT_USAGE'));
    const noEku = issueFixtureCertificate(pki.issuing, {
      commonName: 'BD',
      keyUsage: { digitalSignature: true },
    });
    expect(() => assertClientCertificateUsage(noEku.certPem)).toThrow(code('ERR_CERT_USAGE'));
    const noKeyUsage = issueFixtureCertificate(pki.issuing, {
      commonName: 'BD',
      extendedKeyUsage: { clientAuth: true },
    });
    expect(() => assertClientCertificateUsage(noKeyUsage.certPem)).toThrow(code('ERR_CERT_USAGE'));
  });

  it('refuses CA certificates', () => {
    expect(() => assertClientCertificateUsage(pki.issuing.certPem)).toThrow(code('ERR_CERT_USAGE'));
  });

  it('agrees with `openssl verify -purpose sslclient` on the wrong-usage fixtures', () => {
    const serverOnly = issueServerOnlyCertificate(pki.issuing, ['urn:khoj:node:BD']);
    const noSignature = issueNoDigitalSignatureCertificate(pki.issuing, ['urn:khoj:node:BD']);
    const files = writeTempFiles({
      cas: pki.root.certPem + pki.issuing.certPem,
      serverOnly: serverOnly.certPem,
      noSignature: noSignature.certPem,
    });
    for (const cert of [files.serverOnly, files.noSignature]) {
      const result = spawnSync('openssl', ['verify', '-purpose', 'sslclient', '-CAfile', files.cas, cert], {
        encoding: 'utf8',
      });
      expect(result.status).not.toBe(0);
      expect(`${result.stdout}${result.stderr}`).toContain('unsuitable certificate purpose');
    }
  });
});

describe('admin certificates over mutual TLS', () => {
  it('an admin certificate completes the handshake and names its holder; a server-only one does not', async () => {
    const server = issueServerCertificate(pki.issuing, {
      commonName: 'hub',
      dnsNames: ['localhost'],
      ipAddresses: [],
    });
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const admin = issueAdminCertificate(pki.issuing, publicKey, { adminName: 'asha', role: 'approver' });
    const adminKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const serverOnly = issueServerOnlyCertificate(pki.issuing, [
      'urn:khoj:admin:asha',
      'urn:khoj:admin-role:admin',
    ]);

    // rejectUnauthorized off so the test can read OpenSSL's verdict instead of a bare hang-up.
    const hub = createServer(
      {
        key: server.keyPem,
        cert: server.certPem + pki.issuing.certPem,
        ca: pki.root.certPem,
        requestCert: true,
        rejectUnauthorized: false,
      },
      (socket) => {
        const peer = socket.getPeerX509Certificate();
        if (!socket.authorized || !peer) return socket.end(`refused: ${String(socket.authorizationError)}`);
        assertClientCertificateUsage(peer);
        const { name, role } = adminFromCertificate(peer);
        socket.end(`${name}/${role}`);
      },
    );
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const { port } = hub.address() as AddressInfo;
    const call = (key: string, cert: string) =>
      new Promise<string>((resolve, reject) => {
        const client = connect({
          host: '127.0.0.1',
          port,
          servername: 'localhost',
          key,
          cert: cert + pki.issuing.certPem,
          ca: pki.root.certPem,
        });
        let answer = '';
        client.setEncoding('utf8');
        client.on('data', (chunk: string) => {
          answer += chunk;
        });
        client.on('end', () => resolve(answer));
        client.on('error', reject);
      });
    try {
      expect(await call(adminKeyPem, admin)).toBe('asha/approver');
      // OpenSSL's sslclient purpose check already fails the serverAuth-only certificate in the handshake.
      expect(await call(serverOnly.keyPem, serverOnly.certPem)).toBe('refused: INVALID_PURPOSE');
    } finally {
      hub.close();
    }
  });
});
