// Rotation over real mutual TLS, on PGlite and PostgreSQL: a node renews its certificate with
// the one it holds (both work during the overlap), rotates its signing and encryption keys with
// proofs (envelopes signed with the old key still count until the overlap ends), an
// administrator re-issues a certificate the node then fetches, and the issuing CA is rotated
// with the root key's passphrase without any node re-enrolling.
import { X509Certificate } from 'node:crypto';
import { signingRotationInput, verifyFederationConfig } from '@khoj/contracts';
import {
  createCsr,
  decryptForRecipient,
  generateEncryptionKey,
  generateSigningKey,
  signDetached,
} from '@khoj/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateIssuingCa } from '../admin/certificate-authority.ts';
import { signedEnvelope, type TestNode } from '../testing/test-federation.ts';
import { ROOT_PASSPHRASE, startTrustHub, type TrustHub } from '../testing/trust-fixture.ts';
import { readTrustAnchor } from './anchor.ts';

const HOUR_MS = 60 * 60 * 1000;

describe.each(['pglite', 'postgres'] as const)('renewal and rotation on %s', (database) => {
  let hub: TrustHub;

  beforeAll(async () => {
    hub = await startTrustHub(database, { nodeIds: ['NP', 'BD'] });
  });
  afterAll(async () => {
    hub.setNow(undefined);
    await hub?.stop();
  });

  const issuerSerial = (bundle: string) => {
    const [, issuer] = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    return new X509Certificate(issuer as string).serialNumber.toLowerCase();
  };
  const config = async () => {
    const anchor = await readTrustAnchor(hub.fed.paths.anchor);
    return verifyFederationConfig(
      (await hub.open().get('/v1/federation-config')).text,
      anchor.configSigningKey,
      {
        now: hub.services.clock(),
      },
    );
  };

  it('renews over mutual TLS: the new certificate works and the old one keeps working', async () => {
    const np = hub.fed.node('NP');
    const current = hub.mutual(np);
    const csr = createCsr({ nodeId: 'NP' });
    const renewed = await current.post('/v1/certificates/renew', { csrPem: csr.csrPem });
    expect(renewed.status).toBe(201);
    expect(renewed.body?.nodeId).toBe('NP');
    const next = hub.mutual({ certPem: renewed.body?.certificatePem, keyPem: csr.keyPem });
    expect((await next.get('/v1/inbox')).status).toBe(200);
    expect((await current.get('/v1/inbox')).status).toBe(200);
    const member = (await config()).members.find((m) => m.nodeId === 'NP');
    expect(member?.certificates.map((c) => c.serialHex)).toContain(renewed.body?.serialHex);
    expect(member?.certificates).toHaveLength(2);
    // A CSR for another node is refused.
    const foreign = await current.post('/v1/certificates/renew', {
      csrPem: createCsr({ nodeId: 'BD' }).csrPem,
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body?.error.code).toBe('CSR_INVALID');
  });

  it('rotates keys with proofs; the old signing key counts until the overlap ends', async () => {
    const bd = hub.fed.node('BD');
    const np = hub.fed.node('NP');
    const client = hub.mutual(bd);
    const signing = await generateSigningKey();
    const encryption = await generateEncryptionKey();
    const encryptionKey = { ...encryption.publicJwk, kid: encryption.kid };
    const asked = await client.post('/v1/keys/challenge', { encryptionKey });
    expect(asked.status).toBe(200);
    const answer = new TextDecoder().decode(await decryptForRecipient(asked.body?.challenge, encryption));
    const request = {
      signingKey: { ...signing.publicJwk, kid: signing.kid },
      encryptionKey,
      proofs: {
        signingKey: await signDetached(signingRotationInput('BD', signing.kid), signing),
        encryptionKey: answer,
      },
      overlapHours: 24,
    };

    const wrongAnswer = await client.post('/v1/keys', {
      ...request,
      proofs: { ...request.proofs, encryptionKey: `${answer}x` },
    });
    expect(wrongAnswer.body?.error.code).toBe('PROOF_OF_POSSESSION_FAILED');
    const otherSigner = await generateSigningKey();
    const wrongSigner = await client.post('/v1/keys', {
      ...request,
      proofs: {
        ...request.proofs,
        signingKey: await signDetached(signingRotationInput('BD', signing.kid), otherSigner),
      },
    });
    expect(wrongSigner.body?.error.code).toBe('PROOF_OF_POSSESSION_FAILED');

    const rotated = await client.post('/v1/keys', request);
    expect(rotated.status).toBe(201);
    expect(rotated.body?.signingKeys.map((k: { kid: string }) => k.kid)).toEqual([
      bd.signing.kid,
      signing.kid,
    ]);
    expect((await client.post('/v1/keys', request)).body?.error.code).toBe('KEY_ALREADY_PUBLISHED');

    const published = (await config()).members.find((m) => m.nodeId === 'BD');
    const old = published?.signingKeys.find((k) => k.kid === bd.signing.kid);
    expect(old?.validUntil).toBeDefined();
    expect(published?.encryptionKeys.map((k) => k.kid)).toContain(encryption.kid);

    // Both keys sign acceptable envelopes now; after the overlap only the new one does.
    const withNewKey: TestNode = { ...bd, signing };
    expect((await client.post('/v1/envelopes', await signedEnvelope(bd, [np]))).status).toBe(201);
    expect((await client.post('/v1/envelopes', await signedEnvelope(withNewKey, [np]))).status).toBe(201);
    hub.setNow(new Date(Date.now() + 25 * HOUR_MS));
    const late = await client.post('/v1/envelopes', await signedEnvelope(bd, [np]));
    hub.setNow(undefined);
    expect(late.status).toBe(400);
    expect(late.body?.error.code).toBe('SIGNATURE_INVALID');
  });

  it('re-issues a certificate on an administrator’s request; the node fetches it', async () => {
    const admin = hub.admin('asha', 'admin');
    const fromFile = await admin.post('/v1/admin/nodes/BD/renew', {});
    expect(fromFile.status).toBe(409);
    expect(fromFile.body?.error.code).toBe('RENEWAL_NEEDS_CSR');
    const reissued = await admin.post('/v1/admin/nodes/NP/renew', {});
    expect(reissued.status).toBe(201);
    const fetched = await hub.mutual(hub.fed.node('NP')).get('/v1/certificates/current');
    expect(fetched.body?.serialHex).toBe(reissued.body?.serialHex);
  });

  it('rotates the issuing CA with the root passphrase; old certificates keep working, new ones come from the new CA', async () => {
    const oldIssuer = issuerSerial(hub.fed.node('NP').certPem);
    await expect(
      rotateIssuingCa(hub.services, { rootKeyPassphrase: 'not the passphrase at all', actor: 'cli:test' }),
    ).rejects.toMatchObject({ code: 'ERR_PASSPHRASE' });
    const { current, live } = await rotateIssuingCa(hub.services, {
      rootKeyPassphrase: ROOT_PASSPHRASE,
      actor: 'cli:test',
    });
    expect(current.serialHex).not.toBe(oldIssuer);
    expect(live.map((ca) => ca.serialHex)).toEqual([current.serialHex, oldIssuer]);

    const bd = hub.mutual(hub.fed.node('BD'));
    expect((await bd.get('/v1/inbox')).status).toBe(200);
    const csr = createCsr({ nodeId: 'BD' });
    const renewed = await bd.post('/v1/certificates/renew', { csrPem: csr.csrPem });
    expect(issuerSerial(renewed.body?.certificatePem)).toBe(current.serialHex);
    expect(
      (await hub.mutual({ certPem: renewed.body?.certificatePem, keyPem: csr.keyPem }).get('/v1/inbox'))
        .status,
    ).toBe(200);

    const open = hub.open();
    expect((await open.get(`/v1/crl?issuer=${oldIssuer}`)).status).toBe(200);
    expect((await open.get('/v1/crl.pem')).text.match(/BEGIN X509 CRL/g)).toHaveLength(2);
    expect((await open.get('/v1/crl?issuer=00ff')).body?.error.code).toBe('NOT_FOUND');
  });
});
