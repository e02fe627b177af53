// Revocation and the client-certificate security suite over real mutual TLS, on PGlite and
// PostgreSQL: a revoked node is refused on the connection it already had open (same socket),
// the CRL is re-signed and verifies with openssl, the configuration version bumps and its
// ETag answers 304; expired, not-yet-valid, foreign and wrongly-used certificates are refused.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { verifyFederationConfig } from '@khoj/contracts';
import { createCsr, issueNodeCertificate } from '@khoj/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  issueFixtureCertificate,
  issueServerOnlyCertificate,
} from '../../../pki/src/testing/certificate-fixtures.ts';
import { revokeNode } from '../admin/revocation.ts';
import { singleConnectionClient, startTrustHub, type TrustHub } from '../testing/trust-fixture.ts';
import { readTrustAnchor } from './anchor.ts';

describe.each(['pglite', 'postgres'] as const)('revocation and client certificates on %s', (database) => {
  let hub: TrustHub;

  beforeAll(async () => {
    hub = await startTrustHub(database, { nodeIds: ['NP', 'BD', 'LK', 'MV'] });
  });
  afterAll(async () => {
    hub.setNow(undefined);
    await hub?.stop();
  });

  const caPem = () => hub.fed.issuing.certPem + hub.fed.root.certPem;
  const serialOf = (pem: string) => new X509Certificate(pem).serialNumber.toLowerCase();

  it('refuses a revoked node at once on its kept-alive connection, and publishes the revocation', async () => {
    const admin = hub.admin('asha', 'admin');
    const open = hub.open();
    const anchor = await readTrustAnchor(hub.fed.paths.anchor);
    const before = await open.get('/v1/federation-config');
    const versionBefore = Number(before.headers.get('etag')?.replaceAll('"', ''));
    const crlBefore = crlText(await open.get('/v1/crl').then((r) => r.bytes), caPem());

    const lk = singleConnectionClient(hub.server.url, hub.fed.root.certPem, hub.fed.node('LK'));
    expect((await lk.get('/v1/inbox')).status).toBe(200);

    const started = performance.now();
    await revokeNode(hub.services, 'LK', 'keyCompromise', 'admin:asha');
    const revoked = performance.now();
    const refused = await lk.get('/v1/inbox');
    const answered = performance.now();
    console.info(
      `[${database}] revoke() took ${(revoked - started).toFixed(1)} ms; the next request on the open connection was refused ${(answered - started).toFixed(1)} ms after revoke() began`,
    );
    expect(refused.status).toBe(403);
    expect(refused.body?.error.code).toBe('CERT_REVOKED');
    expect(lk.connections()).toBe(1);
    await lk.close();

    // The configuration: a new version, the node revoked, its serial listed, its keys closed.
    const after = await open.get('/v1/federation-config', { 'if-none-match': `"${versionBefore}"` });
    expect(after.status).toBe(200);
    const config = verifyFederationConfig(after.text, anchor.configSigningKey, {
      now: new Date(),
      minVersion: versionBefore,
    });
    expect(config.version).toBeGreaterThan(versionBefore);
    const member = config.members.find((m) => m.nodeId === 'LK');
    expect(member?.status).toBe('revoked');
    expect(member?.certificates).toEqual([]);
    const revocation = config.revocations.find((r) => r.nodeId === 'LK');
    expect(revocation).toMatchObject({
      serialHex: serialOf(hub.fed.node('LK').certPem),
      reason: 'keyCompromise',
    });
    expect(member?.signingKeys.every((k) => k.validUntil === revocation?.revokedAt)).toBe(true);
    const unchanged = await open.get('/v1/federation-config', {
      'if-none-match': after.headers.get('etag') as string,
    });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');

    // The CRL: re-signed by the issuing CA with the next number, listing the serial; openssl agrees.
    const crl = await open.get('/v1/crl');
    expect(crl.headers.get('content-type')).toBe('application/pkix-crl');
    const text = crlText(crl.bytes, caPem());
    expect(text.verify).toMatch(/verify OK/);
    expect(text.crlNumber).toBe(crlBefore.crlNumber + 1);
    expect(text.listing).toContain(serialOf(hub.fed.node('LK').certPem).toUpperCase());
    expect(text.listing).toMatch(/Key Compromise/);
    const pem = await open.get('/v1/crl.pem');
    expect(pem.text).toContain('-----BEGIN X509 CRL-----');
    expect(crlText(Buffer.from(pem.text), caPem(), 'PEM').verify).toMatch(/verify OK/);

    // And the API: the node is revoked, a second revocation is refused with its code.
    const nodes = (await admin.get('/v1/admin/nodes')).body?.nodes;
    expect(nodes.find((n: { nodeId: string }) => n.nodeId === 'LK').status).toBe('revoked');
    const twice = await admin.post('/v1/admin/nodes/LK/revoke', { reason: 'keyCompromise' });
    expect(twice.status).toBe(409);
    expect(twice.body?.error.code).toBe('ALREADY_REVOKED');
  });

  it('refuses, over the same connection, a certificate that expired while it was open (hub clock)', async () => {
    const mv = singleConnectionClient(hub.server.url, hub.fed.root.certPem, hub.fed.node('MV'));
    expect((await mv.get('/v1/inbox')).status).toBe(200);
    hub.setNow(new X509Certificate(hub.fed.node('MV').certPem).validToDate);
    const late = await mv.get('/v1/inbox');
    hub.setNow(undefined);
    expect(late.status).toBe(401);
    expect(late.body?.error.code).toBe('CLIENT_CERT_INVALID');
    expect(mv.connections()).toBe(1);
    await mv.close();
  });

  it('refuses expired, not-yet-valid and foreign-CA certificates at the handshake', async () => {
    const day = 24 * 60 * 60 * 1000;
    const csr = createCsr({ nodeId: 'NP' });
    const expired = {
      certPem: issueNodeCertificate(hub.fed.issuing, csr.csrPem, {
        nodeId: 'NP',
        validityDays: 1,
        now: new Date(Date.now() - 10 * day),
      }),
      keyPem: csr.keyPem,
    };
    const early = {
      certPem: issueNodeCertificate(hub.fed.issuing, csr.csrPem, {
        nodeId: 'NP',
        now: new Date(Date.now() + 10 * day),
      }),
      keyPem: csr.keyPem,
    };
    const foreign = await hub.fed.foreignNode('NP');
    for (const identity of [expired, early, foreign]) {
      const client = hub.mutual({
        certPem: identity.certPem + hub.fed.issuing.certPem,
        keyPem: identity.keyPem,
      });
      await expect(client.get('/v1/inbox')).rejects.toThrow();
    }
  });

  it('refuses certificates not made for TLS clients', async () => {
    // serverAuth only: OpenSSL's client purpose check refuses it at the handshake.
    const serverOnly = issueServerOnlyCertificate(hub.fed.issuing, ['urn:khoj:node:NP']);
    const server = hub.mutual({
      certPem: serverOnly.certPem + hub.fed.issuing.certPem,
      keyPem: serverOnly.keyPem,
    });
    await expect(server.get('/v1/inbox')).rejects.toThrow();
    // No extendedKeyUsage at all passes OpenSSL; the hub's own per-request check refuses it.
    const noEku = issueFixtureCertificate(hub.fed.issuing, {
      commonName: 'NP',
      uris: ['urn:khoj:node:NP'],
      keyUsage: { digitalSignature: true },
    });
    const client = hub.mutual({ certPem: noEku.certPem + hub.fed.issuing.certPem, keyPem: noEku.keyPem });
    const response = await client.get('/v1/inbox');
    expect(response.status).toBe(401);
    expect(response.body?.error.code).toBe('CLIENT_CERT_INVALID');
  });

  it('answers 304 to If-None-Match with the current version, and serves the configuration without a certificate', async () => {
    const open = hub.open();
    const first = await open.get('/v1/federation-config');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/jose');
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"\d+"$/);
    expect((await open.get('/v1/federation-config', { 'if-none-match': etag })).status).toBe(304);
    expect((await open.get('/v1/federation-config', { 'if-none-match': `W/${etag}, "1"` })).status).toBe(304);
    expect((await open.get('/v1/federation-config', { 'if-none-match': '"0"' })).status).toBe(200);
  });
});

/** The CRL as openssl reads it: signature checked against `caPem`, its number and listing. */
function crlText(bytes: Uint8Array, caPem: string, form: 'DER' | 'PEM' = 'DER') {
  const dir = mkdtempSync(join(tmpdir(), 'khoj-crl-'));
  const crlPath = join(dir, `crl.${form.toLowerCase()}`);
  const caPath = join(dir, 'ca.pem');
  writeFileSync(crlPath, bytes);
  writeFileSync(caPath, caPem);
  const run = (args: string[]) =>
    spawnSync('openssl', ['crl', '-inform', form, '-in', crlPath, ...args], { encoding: 'utf8' });
  const verify = run(['-CAfile', caPath, '-noout', '-verify']);
  const listing = run(['-noout', '-text']).stdout;
  const crlNumber = Number(/X509v3 CRL Number:\s*\n\s*(\d+)/.exec(listing)?.[1] ?? Number.NaN);
  return { verify: verify.stdout + verify.stderr, listing, crlNumber };
}
