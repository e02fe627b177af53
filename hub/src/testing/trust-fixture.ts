// Test fixture for trust administration: a hub whose home holds the CA (root key encrypted,
// issuing CA usable), running both listeners over real TLS on PGlite or PostgreSQL, with a
// clock the test can move; administrator identities; and the node side of an enrolment
// (keys, CSR, challenge, proofs) as `khoj node enrol` would do it.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { AdminRole, EnrolmentChallenge, EnrolmentRequest } from '@khoj/contracts';
import {
  createCsr,
  createProofOfPossession,
  type EncryptionKeyPair,
  generateEncryptionKey,
  generateSigningKey,
  issueAdminCertificate,
  type SigningKeyPair,
} from '@khoj/pki';
import { Agent, Client, fetch } from 'undici';
import { inject } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import type { TrustSettings } from '../config.ts';
import { type RunningHub, startHubServer } from '../server.ts';
import { createHubServices, type HubServices } from '../services.ts';
import { installCertificateAuthority } from '../trust/ca-store.ts';
import { createTestFederation, type TestFederation } from './test-federation.ts';

export const ROOT_PASSPHRASE = 'a long test passphrase for the root key';

export type Identity = { certPem: string; keyPem: string };

export type TrustHub = Awaited<ReturnType<typeof startTrustHub>>;

export async function startTrustHub(
  database: 'pglite' | 'postgres',
  options: { nodeIds?: string[]; trust?: Partial<TrustSettings> } = {},
) {
  const fed: TestFederation = await createTestFederation(options.nodeIds ?? []);
  await installCertificateAuthority(fed.paths, {
    root: fed.root,
    issuing: fed.issuing,
    rootKeyPassphrase: ROOT_PASSPHRASE,
  });
  const databaseUrl =
    database === 'postgres'
      ? await createDatabase(inject('postgresUrl'), `hub_${randomUUID().slice(0, 8)}`)
      : undefined;
  let pinned: Date | undefined;
  const services: HubServices = await createHubServices(
    {
      home: fed.hubHome,
      host: '127.0.0.1',
      port: 0,
      publicPort: 0,
      databaseUrl,
      maxWaitSeconds: 5,
      trust: options.trust ?? {},
    },
    { log: () => undefined, clock: () => pinned ?? new Date() },
  );
  const server: RunningHub = await startHubServer(services);
  const clients: Array<{ close(): Promise<void> }> = [];
  const track = <T extends { close(): Promise<void> }>(client: T): T => {
    clients.push(client);
    return client;
  };
  return {
    fed,
    services,
    server,
    /** Pins the hub's clock (per-request checks, expiry, issuance); undefined follows real time. */
    setNow(date: Date | undefined) {
      pinned = date;
    },
    /** A client on the mutual-TLS listener presenting `identity`. */
    mutual: (identity?: Identity) => track(httpsClient(server.url, fed.root.certPem, identity)),
    /** A client on the public listener (no client certificate). */
    open: () => track(httpsClient(server.publicUrl as string, fed.root.certPem)),
    admin: (name: string, role: AdminRole) =>
      track(httpsClient(server.url, fed.root.certPem, adminIdentity(fed, name, role))),
    async stop() {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      await server.close();
      await services.close();
      if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
      await fed.cleanup();
    },
  };
}

/** An administrator's client certificate from the federation's issuing CA, and its key. */
export function adminIdentity(
  fed: TestFederation,
  name: string,
  role: AdminRole,
  options: { validityDays?: number; now?: Date } = {},
): Identity {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const leaf = issueAdminCertificate(fed.issuing, publicKey, { adminName: name, role, ...options });
  return {
    certPem: leaf + fed.issuing.certPem,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export type HttpResponse = {
  status: number;
  headers: Headers;
  text: string;
  bytes: Uint8Array;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
  body: Record<string, any> | undefined;
};

/** HTTPS over real TLS with an optional client certificate; one undici Agent per client. */
export function httpsClient(baseUrl: string, caPem: string, identity?: Identity) {
  const dispatcher = new Agent({
    connect: { ca: caPem, ...(identity ? { cert: identity.certPem, key: identity.keyPem } : {}) },
  });
  const request = async (
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      dispatcher,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    let body: HttpResponse['body'];
    if (response.headers.get('content-type')?.includes('json') && text) body = JSON.parse(text);
    return { status: response.status, headers: response.headers, text, bytes, body };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => request('GET', path, headers ? { headers } : {}),
    post: (path: string, body: unknown, headers?: Record<string, string>) =>
      request('POST', path, { body, ...(headers ? { headers } : {}) }),
    put: (path: string, body: unknown) => request('PUT', path, { body }),
    close: () => dispatcher.close(),
  };
}

/**
 * One undici Client: exactly one TLS connection, kept alive between requests. `connections`
 * counts handshakes, so a test can show two requests went over the same socket.
 */
export function singleConnectionClient(baseUrl: string, caPem: string, identity: Identity) {
  const client = new Client(baseUrl, {
    connect: { ca: caPem, cert: identity.certPem, key: identity.keyPem },
    pipelining: 1,
    keepAliveTimeout: 60_000,
  });
  let connections = 0;
  client.on('connect', () => {
    connections++;
  });
  return {
    async get(path: string) {
      const response = await client.request({ method: 'GET', path });
      const text = await response.body.text();
      return { status: response.statusCode, body: text ? JSON.parse(text) : undefined };
    },
    connections: () => connections,
    close: () => client.close(),
  };
}

/** What a node makes for itself before enrolling. */
export type NodeKeys = {
  nodeId: string;
  csrPem: string;
  keyPem: string;
  signing: SigningKeyPair;
  encryption: EncryptionKeyPair;
};

export async function nodeKeys(nodeId: string, keyBits = 3072): Promise<NodeKeys> {
  const csr = createCsr({ nodeId, keyBits });
  return {
    nodeId,
    ...csr,
    signing: await generateSigningKey(),
    encryption: await generateEncryptionKey(),
  };
}

/** The body of POST /v1/enrolments, with valid proofs over `challenge`. */
export async function enrolmentRequest(
  keys: NodeKeys,
  token: string,
  challenge: EnrolmentChallenge,
): Promise<EnrolmentRequest> {
  const claims = {
    nodeId: keys.nodeId,
    token,
    challenge: { nonce: challenge.nonce, hubPublicJwk: challenge.hubPublicJwk },
  };
  const proof = await createProofOfPossession(claims, {
    tlsKeyPem: keys.keyPem,
    signingPrivateJwk: keys.signing.privateJwk,
    encryptionPrivateJwk: keys.encryption.privateJwk,
  });
  return {
    token,
    challenge: claims.challenge,
    csrPem: keys.csrPem,
    signingKey: { ...keys.signing.publicJwk, kid: keys.signing.kid },
    encryptionKey: { ...keys.encryption.publicJwk, kid: keys.encryption.kid },
    proof,
  };
}
