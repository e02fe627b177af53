// `khoj node enrol <ID> --hub <url> --token <t> --anchor <file>`: a node asks to join. It makes
// its TLS key and CSR, its Ed25519 signing and X25519 encryption keys, gets the hub's challenge,
// proves it holds all three private keys, and submits over TLS that checks the hub's certificate
// against the anchor's root (it has no certificate of its own yet, so the hub's public listener).
// Administrators approve (two of them under dual control); the node polls with its token, checks
// the certificate it receives (chains to the anchor's root, names it, certifies its key) and
// writes it: from then on the node talks to the hub over mutual TLS. Interrupted or left waiting,
// running the command again picks up where it was (enrolment.json in the node home).
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { EnrolmentChallenge, EnrolmentStatus, type TrustAnchor } from '@khoj/contracts';
import { checkIssuedCertificate, installTlsIdentity, type NodeIdentity, parseTrustAnchor } from '@khoj/node';
import {
  assertNodeId,
  createCsr,
  createProofOfPossession,
  generateEncryptionKey,
  generateSigningKey,
  readPrivateFile,
  writePrivateFile,
  writePrivateJwk,
  writePublicFile,
} from '@khoj/pki';
import { z } from 'zod';
import { federationLayout } from '../federation/layout.ts';
import { hubConnection } from './https.ts';

export type EnrolOptions = {
  /** The hub's mutual-TLS URL: what the node will use once enrolled (written to node.json). */
  hubUrl: string;
  /** The hub's public (server-authenticated) listener; default: the hub URL's port + 1. */
  enrolUrl?: string;
  token?: string;
  /** The anchor file from the hub administrator (required for a first run). */
  anchorFile?: string;
  displayName?: string;
  /** Seconds to wait for approval; 0 submits (or checks) once and returns. */
  waitSeconds?: number;
  pollMs?: number;
  print?: (line: string) => void;
  clock?: () => Date;
};

export type EnrolOutcome = { status: 'approved' | 'pending'; enrolmentId: string; home: string };

/** What is kept between runs while the request waits for approval. */
const PendingEnrolment = z.object({
  nodeId: z.string(),
  displayName: z.string(),
  hubUrl: z.url(),
  enrolUrl: z.url(),
  /** The invitation token: spent by the submission, it is the credential to poll with. */
  token: z.string(),
  enrolmentId: z.string(),
  submittedAt: z.string(),
});
type PendingEnrolment = z.infer<typeof PendingEnrolment>;

/** The public listener beside a hub URL: same host, next port (the hub's default). */
export function defaultEnrolUrl(hubUrl: string): string {
  const url = new URL(hubUrl);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  url.port = String(port + 1);
  return url.origin;
}

export async function enrolNode(home: string, nodeId: string, options: EnrolOptions): Promise<EnrolOutcome> {
  assertNodeId(nodeId);
  const print = options.print ?? ((line: string) => console.log(line));
  const clock = options.clock ?? (() => new Date());
  const paths = federationLayout(home).node(nodeId);
  if (existsSync(paths.identity) && existsSync(paths.tlsCert)) {
    throw new Error(
      `${nodeId} is enrolled already (${paths.home}); it renews its certificate by itself (or: khoj node renew ${nodeId})`,
    );
  }
  let pending = existsSync(paths.enrolment)
    ? PendingEnrolment.parse(JSON.parse(await readPrivateFile(paths.enrolment)))
    : undefined;
  if (pending && options.token && options.token !== pending.token) {
    throw new Error(
      `${nodeId} has a request waiting (${pending.enrolmentId}) made with another token; remove ${paths.enrolment} to start over`,
    );
  }
  let anchor: TrustAnchor;
  if (pending) {
    anchor = parseTrustAnchor(await readFile(paths.anchor, 'utf8'), paths.anchor);
    print(`${nodeId}: request ${pending.enrolmentId} was submitted at ${pending.submittedAt}`);
  } else {
    if (!options.token)
      throw new Error('--token is required: the enrolment token from the hub administrator');
    if (!options.anchorFile) {
      throw new Error('--anchor is required: the anchor file (anchor.json) from the hub administrator');
    }
    anchor = parseTrustAnchor(await readFile(options.anchorFile, 'utf8'), options.anchorFile);
    pending = await submit(paths, nodeId, anchor, { ...options, token: options.token }, print, clock);
  }

  const hub = hubConnection(pending.enrolUrl, { rootPem: anchor.rootCertificatePem });
  try {
    const deadline = Date.now() + (options.waitSeconds ?? 0) * 1000;
    let waitingSaid = false;
    for (;;) {
      const status = await hub.call(EnrolmentStatus, 'GET', `/v1/enrolments/${pending.enrolmentId}`, {
        headers: { authorization: `Bearer ${pending.token}` },
        doing: 'check the enrolment',
      });
      if (status.status === 'denied') {
        await rm(paths.enrolment, { force: true });
        throw new Error(
          `the hub denied enrolment ${status.id}${status.reason ? `: ${status.reason}` : ''}; ask its administrator for a new invitation`,
        );
      }
      if (status.status === 'approved') {
        if (!status.certificate)
          throw new Error(`enrolment ${status.id} is approved but carries no certificate`);
        await install(paths, pending, anchor, status.certificate.certificatePem, clock());
        print(
          `${nodeId} enrolled: certificate ${status.certificate.serialHex} valid until ${status.certificate.notAfter}; start it with \`khoj node start ${nodeId}\``,
        );
        return { status: 'approved', enrolmentId: pending.enrolmentId, home: paths.home };
      }
      if (Date.now() >= deadline) {
        print(
          `${nodeId}: request ${pending.enrolmentId} is waiting for approval; run the same command again to fetch the certificate`,
        );
        return { status: 'pending', enrolmentId: pending.enrolmentId, home: paths.home };
      }
      if (!waitingSaid) {
        print(`waiting for an administrator to approve ${pending.enrolmentId} …`);
        waitingSaid = true;
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2_000));
    }
  } finally {
    await hub.close();
  }
}

async function submit(
  paths: ReturnType<ReturnType<typeof federationLayout>['node']>,
  nodeId: string,
  anchor: TrustAnchor,
  options: EnrolOptions & { token: string },
  print: (line: string) => void,
  clock: () => Date,
): Promise<PendingEnrolment> {
  const enrolUrl = options.enrolUrl ?? defaultEnrolUrl(options.hubUrl);
  print(`${nodeId}: making its TLS key (RSA 3072), signing key (Ed25519) and encryption key (X25519) …`);
  const csr = createCsr({ nodeId });
  const [signing, encryption] = await Promise.all([generateSigningKey(), generateEncryptionKey()]);
  const hub = hubConnection(enrolUrl, { rootPem: anchor.rootCertificatePem });
  try {
    const challenge = await hub.call(EnrolmentChallenge, 'POST', '/v1/enrolments/challenge', {
      body: { token: options.token },
      doing: 'ask for an enrolment challenge',
    });
    const claims = {
      nodeId,
      token: options.token,
      challenge: { nonce: challenge.nonce, hubPublicJwk: challenge.hubPublicJwk },
    };
    const proof = await createProofOfPossession(claims, {
      tlsKeyPem: csr.keyPem,
      signingPrivateJwk: signing.privateJwk,
      encryptionPrivateJwk: encryption.privateJwk,
    });
    const submitted = await hub.call(EnrolmentStatus, 'POST', '/v1/enrolments', {
      body: {
        token: options.token,
        challenge: claims.challenge,
        csrPem: csr.csrPem,
        signingKey: { ...signing.publicJwk, kid: signing.kid },
        encryptionKey: { ...encryption.publicJwk, kid: encryption.kid },
        proof,
      },
      doing: 'submit the enrolment',
    });
    // Keys first, then the record of the request: a re-run finds both or starts over.
    await writePrivateFile(paths.tlsKey, csr.keyPem);
    await writePrivateJwk(paths.signingKey, signing.privateJwk);
    await writePrivateJwk(paths.encryptionKey, encryption.privateJwk);
    await writePublicFile(paths.anchor, `${JSON.stringify(anchor, null, 2)}\n`);
    await writePublicFile(paths.trustAnchor, anchor.rootCertificatePem);
    const pending: PendingEnrolment = {
      nodeId,
      displayName: options.displayName ?? nodeId,
      hubUrl: options.hubUrl,
      enrolUrl,
      token: options.token,
      enrolmentId: submitted.id,
      submittedAt: clock().toISOString(),
    };
    await writePrivateFile(paths.enrolment, `${JSON.stringify(pending, null, 2)}\n`);
    const tlsKeySha256 = createHash('sha256')
      .update(createPublicKey(csr.keyPem).export({ type: 'spki', format: 'der' }))
      .digest('hex');
    print(
      [
        `${nodeId}: enrolment ${submitted.id} submitted. Read these to the hub administrator, who sees them with \`khoj hub enrolments\`:`,
        `    TLS key SHA-256  ${tlsKeySha256}`,
        `    signing key      ${signing.kid}`,
        `    encryption key   ${encryption.kid}`,
      ].join('\n'),
    );
    return pending;
  } finally {
    await hub.close();
  }
}

async function install(
  paths: ReturnType<ReturnType<typeof federationLayout>['node']>,
  pending: PendingEnrolment,
  anchor: TrustAnchor,
  certificatePem: string,
  now: Date,
): Promise<void> {
  const keyPem = await readPrivateFile(paths.tlsKey);
  checkIssuedCertificate(certificatePem, {
    keyPem,
    nodeId: pending.nodeId,
    rootPem: anchor.rootCertificatePem,
    now,
  });
  await installTlsIdentity(paths, { certPem: certificatePem, keyPem });
  const identity: NodeIdentity = {
    nodeId: pending.nodeId,
    displayName: pending.displayName,
    hubUrl: pending.hubUrl,
  };
  await writePublicFile(paths.identity, `${JSON.stringify(identity, null, 2)}\n`);
  await rm(paths.enrolment, { force: true });
}
