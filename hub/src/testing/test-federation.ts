// Test fixture: a real federation PKI in a temporary directory — root and issuing CA, the hub's
// server certificate and signing key, and nodes with certificates and keys — laid out as the hub
// reads it, plus clients that speak to a hub over real mutual TLS.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Envelope, envelopeIdFor, envelopeSigningInput, type UnsignedEnvelope } from '@khoj/contracts';
import {
  type CaMaterial,
  createCsr,
  createIssuingCa,
  createRootCa,
  type EncryptionKeyPair,
  encryptForRecipients,
  generateEncryptionKey,
  generateSigningKey,
  issueNodeCertificate,
  issueServerCertificate,
  type SigningKeyPair,
  signDetached,
  writePrivateFile,
  writePrivateJwk,
  writePublicFile,
} from '@khoj/pki';
import { Agent, fetch } from 'undici';
import { hubPaths } from '../home.ts';
import type { MemberRegistration } from '../trust/registration.ts';

export type TestNode = {
  nodeId: string;
  /** Leaf followed by the issuing CA. */
  certPem: string;
  keyPem: string;
  signing: SigningKeyPair;
  encryption: EncryptionKeyPair;
};

export type TestFederation = Awaited<ReturnType<typeof createTestFederation>>;

export async function createTestFederation(nodeIds: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'khoj-hub-test-'));
  const root = createRootCa({ commonName: 'test root', keyBits: 3072 });
  const issuing = createIssuingCa(root, { commonName: 'test issuing' });
  const paths = hubPaths(join(dir, 'hub'));
  const server = issueServerCertificate(issuing, {
    commonName: 'hub',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  await writePublicFile(paths.tlsCert, server.certPem + issuing.certPem);
  await writePrivateFile(paths.tlsKey, server.keyPem);
  await writePublicFile(paths.trustAnchor, root.certPem);
  await writePrivateJwk(paths.signingKey, (await generateSigningKey()).privateJwk);

  const nodes: Record<string, TestNode> = {};
  for (const nodeId of nodeIds) {
    nodes[nodeId] = await makeNode(issuing, nodeId);
    await registerNode(paths.membersDir, nodes[nodeId]);
  }
  return {
    dir,
    hubHome: paths.home,
    paths,
    root,
    issuing,
    node: (nodeId: string): TestNode => {
      const node = nodes[nodeId];
      if (!node) throw new Error(`no test node ${nodeId}`);
      return node;
    },
    /** A node with a certificate from the federation CA that the hub has never registered. */
    unregisteredNode: (nodeId: string) => makeNode(issuing, nodeId),
    /** A node whose certificate comes from a CA outside the federation. */
    async foreignNode(nodeId: string) {
      const foreignRoot = createRootCa({ commonName: 'foreign root', keyBits: 3072 });
      return makeNode(createIssuingCa(foreignRoot, { commonName: 'foreign issuing' }), nodeId);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function makeNode(issuing: CaMaterial, nodeId: string): Promise<TestNode> {
  const csr = createCsr({ nodeId });
  const certPem = issueNodeCertificate(issuing, csr.csrPem, { nodeId }) + issuing.certPem;
  return {
    nodeId,
    certPem,
    keyPem: csr.keyPem,
    signing: await generateSigningKey(),
    encryption: await generateEncryptionKey(),
  };
}

export async function registerNode(membersDir: string, node: TestNode): Promise<void> {
  const registration: MemberRegistration = {
    nodeId: node.nodeId,
    displayName: `test ${node.nodeId}`,
    certificatePem: node.certPem,
    signingKey: { ...node.signing.publicJwk, kid: node.signing.kid },
    encryptionKey: { ...node.encryption.publicJwk, kid: node.encryption.kid },
  };
  await writePublicFile(join(membersDir, `${node.nodeId}.json`), JSON.stringify(registration));
}

/** A client that presents `node`'s certificate (or none) to a hub over real TLS. */
export function mtlsClient(
  baseUrl: string,
  trustAnchorPem: string,
  node?: Pick<TestNode, 'certPem' | 'keyPem'>,
) {
  const dispatcher = new Agent({
    connect: { ca: trustAnchorPem, ...(node ? { cert: node.certPem, key: node.keyPem } : {}) },
  });
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      dispatcher,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
  };
  return {
    get: (path: string) => request('GET', path),
    post: (path: string, body: unknown) => request('POST', path, body),
    close: () => dispatcher.close(),
  };
}

/** An envelope from `from` to `to`, encrypted and signed as a node would. */
export async function signedEnvelope(
  from: TestNode,
  to: TestNode[],
  options: { subject?: string; plaintext?: string; now?: Date } = {},
): Promise<Envelope> {
  const now = options.now ?? new Date();
  const payload = await encryptForRecipients(
    options.plaintext ?? 'a signed case summary would be here',
    to.map((node) => ({ kid: node.encryption.kid, publicJwk: node.encryption.publicJwk })),
  );
  const unsigned: UnsignedEnvelope = {
    id: envelopeIdFor(
      from.nodeId,
      'case.summary',
      options.subject ?? `case_${crypto.randomUUID().replaceAll('-', '')}`,
      1,
    ),
    type: 'case.summary',
    origin: from.nodeId,
    recipients: to.map((node) => node.nodeId),
    purposes: ['reunification'],
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
    payload: payload as UnsignedEnvelope['payload'],
  };
  return { ...unsigned, signature: await signDetached(envelopeSigningInput(unsigned), from.signing) };
}

/** Re-sign an altered envelope with `from`'s key (to test checks other than the signature). */
export async function resign(envelope: Envelope, from: TestNode): Promise<Envelope> {
  return { ...envelope, signature: await signDetached(envelopeSigningInput(envelope), from.signing) };
}
