// Test support for the trust module: a configuration-signing authority (what the hub holds),
// federation configuration documents, members with keys, and a hub client whose answers the test
// writes — the real openapi-fetch client over a fetch function, so requests are built as in
// production (conditional headers, bodies) and only the network is replaced.
import {
  type ConfigMember,
  canonicalJson,
  type FederationConfig,
  type PublicJwk,
  type TrustAnchor,
} from '@khoj/contracts';
import type { paths } from '@khoj/contracts/hub-api';
import { generateEncryptionKey, generateSigningKey, type SigningKeyPair, signJws } from '@khoj/pki';
import createClient from 'openapi-fetch';
import type { HubClient } from '../exchange/hub-client.ts';

export type ConfigAuthority = Awaited<ReturnType<typeof createConfigAuthority>>;

/** The hub's configuration-signing key and what a node is given of it. */
export async function createConfigAuthority(rootCertificatePem: string) {
  const key = await generateSigningKey();
  const anchor: TrustAnchor = {
    rootCertificatePem,
    configSigningKey: { ...key.publicJwk, kid: key.kid } as PublicJwk,
  };
  return {
    key,
    anchor,
    sign: (document: FederationConfig, signer: SigningKeyPair = key) =>
      signJws(canonicalJson(document), signer),
  };
}

export function configDocument(
  version: number,
  members: ConfigMember[],
  options: { issuedAt: Date; hours?: number; revocations?: FederationConfig['revocations'] },
): FederationConfig {
  return {
    version,
    issuedAt: options.issuedAt.toISOString(),
    expiresAt: new Date(options.issuedAt.getTime() + (options.hours ?? 24) * 3_600_000).toISOString(),
    members,
    revocations: options.revocations ?? [],
    policy: { nodes: {} },
  };
}

/** A member with one signing and one encryption key, valid from `validFrom`. */
export async function configMember(nodeId: string, validFrom: Date) {
  const [signing, encryption] = await Promise.all([generateSigningKey(), generateEncryptionKey()]);
  const member: ConfigMember = {
    nodeId,
    displayName: nodeId,
    country: nodeId.slice(0, 2),
    status: 'active',
    certificates: [],
    signingKeys: [{ kid: signing.kid, jwk: publicOf(signing), validFrom: validFrom.toISOString() }],
    encryptionKeys: [{ kid: encryption.kid, jwk: publicOf(encryption), validFrom: validFrom.toISOString() }],
  };
  return { member, signing, encryption };
}

export function publicOf(key: { publicJwk: PublicJwk; kid: string } | SigningKeyPair): PublicJwk {
  return { ...key.publicJwk, kid: key.kid } as PublicJwk;
}

export type HubAnswer = (request: Request) => Response | Promise<Response>;

/** A hub client answering from `routes` ("GET /v1/federation-config" → handler); 404 otherwise. */
export function scriptedHub(routes: Record<string, HubAnswer>) {
  const calls: Request[] = [];
  const identities: Array<{ certPem: string; keyPem: string }> = [];
  const client = createClient<paths>({
    baseUrl: 'https://hub.test',
    fetch: async (request: Request) => {
      calls.push(request.clone());
      const route = routes[`${request.method} ${new URL(request.url).pathname}`];
      if (!route)
        return Response.json({ error: { code: 'NOT_FOUND', message: 'no route' } }, { status: 404 });
      return route(request);
    },
  });
  const hub = Object.assign(client, {
    useIdentity: (identity: { certPem: string; keyPem: string }) => void identities.push(identity),
    close: async () => undefined,
  }) as unknown as HubClient;
  return { hub, calls, identities };
}
