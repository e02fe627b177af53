// Enrolment over real TLS, on PGlite and PostgreSQL: a node with an invitation token asks for a
// challenge and submits its CSR and keys with proofs on the public listener (no client
// certificate), an administrator approves, the node fetches its certificate and from then on
// speaks mutual TLS. Every refusal has its code and stores nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyFederationConfig } from '@khoj/contracts';
import { certificateFingerprint, verifyCertificateChain } from '@khoj/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolments, hubAuditLog, invitations } from '../db/schema/index.ts';
import {
  enrolmentRequest,
  type NodeKeys,
  nodeKeys,
  startTrustHub,
  type TrustHub,
} from '../testing/trust-fixture.ts';
import { readTrustAnchor } from './anchor.ts';

const HOUR_MS = 60 * 60 * 1000;

describe.each(['pglite', 'postgres'] as const)('enrolment on %s', (database) => {
  let hub: TrustHub;
  let admin: ReturnType<TrustHub['admin']>;
  let open: ReturnType<TrustHub['open']>;

  beforeAll(async () => {
    hub = await startTrustHub(database);
    admin = hub.admin('asha', 'admin');
    open = hub.open();
  });
  afterAll(async () => {
    hub.setNow(undefined);
    await hub?.stop();
  });

  async function invite(nodeId: string, expiresInHours = 1) {
    const response = await admin.post('/v1/admin/invitations', {
      nodeId,
      displayName: `Node ${nodeId}`,
      expiresInHours,
    });
    expect(response.status).toBe(201);
    return response.body as { token: string; invitation: { id: string } };
  }

  async function challenge(token: string) {
    const response = await open.post('/v1/enrolments/challenge', { token });
    expect(response.status).toBe(200);
    return response.body as Parameters<typeof enrolmentRequest>[2];
  }

  async function submit(keys: NodeKeys, token: string) {
    return open.post('/v1/enrolments', await enrolmentRequest(keys, token, await challenge(token)));
  }

  const counts = async () => ({
    enrolments: (await hub.services.db.select().from(enrolments)).length,
    audit: (await hub.services.db.select().from(hubAuditLog)).length,
    used: (await hub.services.db.select().from(invitations)).filter((row) => row.usedAt).length,
  });

  it('enrols a node: pending, approved, certificate fetched, then mutual TLS and the configuration', async () => {
    const { token } = await invite('IN-BR');
    const keys = await nodeKeys('IN-BR');
    const submitted = await submit(keys, token);
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ nodeId: 'IN-BR', status: 'pending' });
    const id = submitted.body?.id as string;
    const auth = { authorization: `Bearer ${token}` };

    expect((await open.get(`/v1/enrolments/${id}`, auth)).body?.status).toBe('pending');
    const pending = await admin.get('/v1/admin/enrolments');
    const listed = pending.body?.enrolments.find((e: { id: string }) => e.id === id);
    expect(listed).toMatchObject({ nodeId: 'IN-BR', signingKid: keys.signing.kid, approvalsRequired: 1 });
    expect(listed.tlsKeySha256).toMatch(/^[0-9a-f]{64}$/);

    const approved = await admin.post(`/v1/admin/enrolments/${id}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body?.status).toBe('approved');

    const fetched = await open.get(`/v1/enrolments/${id}`, auth);
    expect(fetched.body?.status).toBe('approved');
    const certificatePem = fetched.body?.certificate.certificatePem as string;
    const [leaf, ...chain] =
      certificatePem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    expect(() =>
      verifyCertificateChain(leaf as string, { intermediates: chain, root: hub.fed.root.certPem }),
    ).not.toThrow();
    expect(opensslVerify(hub.fed.root.certPem, chain.join('\n'), leaf as string)).toContain('OK');

    const node = hub.mutual({ certPem: certificatePem, keyPem: keys.keyPem });
    expect((await node.get('/v1/inbox')).status).toBe(200);

    const anchor = await readTrustAnchor(hub.fed.paths.anchor);
    const config = await open.get('/v1/federation-config');
    const document = verifyFederationConfig(config.text, anchor.configSigningKey, { now: new Date() });
    const member = document.members.find((m) => m.nodeId === 'IN-BR');
    expect(member?.certificates.map((c) => c.fingerprint)).toEqual([certificateFingerprint(leaf as string)]);
    expect(member?.signingKeys.map((k) => k.kid)).toEqual([keys.signing.kid]);
    expect(member?.encryptionKeys.map((k) => k.kid)).toEqual([keys.encryption.kid]);
  });

  it('refuses a replayed token with ENROLMENT_TOKEN_USED and stores nothing more', async () => {
    const { token } = await invite('IN-AS');
    const first = await nodeKeys('IN-AS');
    const fresh = await challenge(token);
    expect((await open.post('/v1/enrolments', await enrolmentRequest(first, token, fresh))).status).toBe(202);
    const before = await counts();
    const replay = await open.post(
      '/v1/enrolments',
      await enrolmentRequest(await nodeKeys('IN-AS'), token, fresh),
    );
    expect(replay.status).toBe(409);
    expect(replay.body?.error.code).toBe('ENROLMENT_TOKEN_USED');
    expect((await open.post('/v1/enrolments/challenge', { token })).body?.error.code).toBe(
      'ENROLMENT_TOKEN_USED',
    );
    expect(await counts()).toEqual(before);
  });

  it('refuses an expired token (pinned clock) with ENROLMENT_TOKEN_EXPIRED', async () => {
    const start = new Date();
    hub.setNow(start);
    const { token } = await invite('IN-GA', 1);
    hub.setNow(new Date(start.getTime() + 55 * 60 * 1000));
    const issued = await challenge(token);
    const request = await enrolmentRequest(await nodeKeys('IN-GA'), token, issued);
    hub.setNow(new Date(start.getTime() + HOUR_MS + 1000));
    const before = await counts();
    const late = await open.post('/v1/enrolments', request);
    expect(late.status).toBe(410);
    expect(late.body?.error.code).toBe('ENROLMENT_TOKEN_EXPIRED');
    expect((await open.post('/v1/enrolments/challenge', { token })).status).toBe(410);
    expect(await counts()).toEqual(before);
    hub.setNow(undefined);
  });

  it('refuses a token this hub never issued with ENROLMENT_TOKEN_INVALID', async () => {
    const foreign = 'khoj_enrol_dGhpcyB0b2tlbiB3YXMgbmV2ZXIgaXNzdWVkIGJ5IHRoaXMgaHVi';
    const asked = await open.post('/v1/enrolments/challenge', { token: foreign });
    expect(asked.status).toBe(401);
    expect(asked.body?.error.code).toBe('ENROLMENT_TOKEN_INVALID');
    // A challenge obtained with a real token does not make a foreign token acceptable.
    const { token } = await invite('IN-KL');
    const request = await enrolmentRequest(await nodeKeys('IN-KL'), foreign, await challenge(token));
    const before = await counts();
    const response = await open.post('/v1/enrolments', request);
    expect(response.status).toBe(401);
    expect(response.body?.error.code).toBe('ENROLMENT_TOKEN_INVALID');
    expect(await counts()).toEqual(before);
  });

  it('refuses a CSR whose signature does not match its key with CSR_INVALID', async () => {
    const { token } = await invite('IN-MP');
    const keys = await nodeKeys('IN-MP');
    const request = await enrolmentRequest(keys, token, await challenge(token));
    const before = await counts();
    const response = await open.post('/v1/enrolments', { ...request, csrPem: tamperSignature(keys.csrPem) });
    expect(response.status).toBe(400);
    expect(response.body?.error.code).toBe('CSR_INVALID');
    expect(await counts()).toEqual(before);
  });

  it('refuses an RSA-1024 CSR with KEY_TOO_WEAK', async () => {
    const { token } = await invite('IN-UP');
    const keys = await nodeKeys('IN-UP');
    const weak = opensslCsr('IN-UP', 1024);
    const request = await enrolmentRequest({ ...keys, ...weak }, token, await challenge(token));
    const before = await counts();
    const response = await open.post('/v1/enrolments', request);
    expect(response.status).toBe(400);
    expect(response.body?.error.code).toBe('KEY_TOO_WEAK');
    expect(await counts()).toEqual(before);
  });

  it('refuses proofs that do not verify with PROOF_OF_POSSESSION_FAILED', async () => {
    const { token } = await invite('IN-TN');
    const keys = await nodeKeys('IN-TN');
    const request = await enrolmentRequest(keys, token, await challenge(token));
    const before = await counts();
    // Someone else's encryption key under this node's proofs: the agreement proof fails.
    const stranger = await nodeKeys('IN-TN');
    const swapped = await open.post('/v1/enrolments', {
      ...request,
      encryptionKey: { ...stranger.encryption.publicJwk, kid: stranger.encryption.kid },
    });
    expect(swapped.status).toBe(400);
    expect(swapped.body?.error.code).toBe('PROOF_OF_POSSESSION_FAILED');
    // A signing proof with one character changed inside the signature (not in its padding bits).
    const signature = request.proof.signingProof;
    const at = signature.length - 10;
    const flipped = signature.slice(0, at) + (signature[at] === 'A' ? 'B' : 'A') + signature.slice(at + 1);
    const forged = await open.post('/v1/enrolments', {
      ...request,
      proof: { ...request.proof, signingProof: flipped },
    });
    expect(forged.body?.error.code).toBe('PROOF_OF_POSSESSION_FAILED');
    // A challenge the hub did not issue (another hub key) is refused the same way.
    const otherHub = await open.post('/v1/enrolments', {
      ...request,
      challenge: { ...request.challenge, hubPublicJwk: { ...request.encryptionKey } },
    });
    expect(otherHub.body?.error.code).toBe('PROOF_OF_POSSESSION_FAILED');
    expect(await counts()).toEqual(before);
    // The token was not spent by the failures: the genuine request still goes through.
    expect((await open.post('/v1/enrolments', request)).status).toBe(202);
  });

  it('lets only the token holder read an enrolment', async () => {
    const { token } = await invite('IN-RJ');
    const submitted = await submit(await nodeKeys('IN-RJ'), token);
    const id = submitted.body?.id as string;
    const other = await invite('IN-HR');
    for (const authorization of [undefined, `Bearer ${other.token}`, 'Bearer nonsense']) {
      const response = await open.get(`/v1/enrolments/${id}`, authorization ? { authorization } : undefined);
      expect(response.status).toBe(401);
      expect(response.body?.error.code).toBe('ENROLMENT_TOKEN_INVALID');
    }
  });

  it('shows a denial with its reason to the node', async () => {
    const { token } = await invite('IN-OR');
    const id = (await submit(await nodeKeys('IN-OR'), token)).body?.id as string;
    const denied = await admin.post(`/v1/admin/enrolments/${id}/deny`, {
      reason: 'key fingerprint did not match',
    });
    expect(denied.body).toMatchObject({ status: 'denied', reason: 'key fingerprint did not match' });
    const seen = await open.get(`/v1/enrolments/${id}`, { authorization: `Bearer ${token}` });
    expect(seen.body).toMatchObject({ status: 'denied', reason: 'key fingerprint did not match' });
    expect((await admin.post(`/v1/admin/enrolments/${id}/approve`, {})).body?.error.code).toBe(
      'ENROLMENT_NOT_PENDING',
    );
  });

  it('keeps member routes closed on the public listener', async () => {
    for (const path of ['/v1/inbox', '/v1/members', '/v1/admin/nodes']) {
      const response = await open.get(path);
      expect(response.status).toBe(401);
      expect(response.body?.error.code).toBe('CLIENT_CERT_REQUIRED');
    }
  });
});

function tamperSignature(csrPem: string): string {
  const body = csrPem.replace(/-----(BEGIN|END) CERTIFICATE REQUEST-----/g, '').replace(/\s+/g, '');
  const der = Buffer.from(body, 'base64');
  // The signature is the last element: flipping its final byte breaks it and nothing else.
  der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0xff;
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}

/** A CSR made by openssl (our pki refuses to make weak keys at all). */
function opensslCsr(nodeId: string, bits: number): { csrPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'khoj-csr-'));
  const run = spawnSync(
    'openssl',
    [
      'req',
      '-new',
      '-newkey',
      `rsa:${bits}`,
      '-nodes',
      '-subj',
      `/CN=${nodeId}`,
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'csr.pem'),
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  const read = (name: string) => spawnSync('cat', [join(dir, name)], { encoding: 'utf8' }).stdout;
  return { csrPem: read('csr.pem'), keyPem: read('key.pem') };
}

function opensslVerify(rootPem: string, intermediatesPem: string, leafPem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'khoj-verify-'));
  writeFileSync(join(dir, 'root.pem'), rootPem);
  writeFileSync(join(dir, 'chain.pem'), intermediatesPem);
  writeFileSync(join(dir, 'leaf.pem'), leafPem);
  const run = spawnSync(
    'openssl',
    [
      'verify',
      '-CAfile',
      join(dir, 'root.pem'),
      '-untrusted',
      join(dir, 'chain.pem'),
      '-purpose',
      'sslclient',
      join(dir, 'leaf.pem'),
    ],
    { encoding: 'utf8' },
  );
  return run.stdout + run.stderr;
}
