// Test support: test nodes that know each other (each other's real public keys in their
// directories, a federation configuration with every node's policy) and a stand-in for the hub
// that moves envelopes from one node's outbox into another's inbox. Delivery goes through the
// node's real inbox (`pullOnce`: open, apply exactly once, acknowledge), so only the network and
// the hub's routing are replaced; the hub itself is tested in tests/src/queries.int.test.ts.
import {
  addresses,
  type Envelope,
  type FederationConfig,
  type NodePolicy,
  type PublicJwk,
  type Purpose,
} from '@khoj/contracts';
import { toPublicJwk } from '@khoj/pki';
import { eq } from 'drizzle-orm';
import { federationMembers, outbox } from '../db/schema/index.ts';
import { pullOnce } from '../exchange/inbox.ts';
import type { TestNode } from '../testing/test-node.ts';
import { scriptedHub } from '../trust/test-support.ts';

const publicKey = (key: { privateJwk: Parameters<typeof toPublicJwk>[0]; kid: string }): PublicJwk => ({
  ...toPublicJwk(key.privateJwk),
  kid: key.kid,
});

export type LinkedNodes = ReturnType<typeof linkNodes> extends Promise<infer T> ? T : never;

/**
 * Makes `nodes` members of one federation: each holds the others in its directory and a
 * configuration in which each accepts `accepts[nodeId]` (default: every purpose).
 */
export async function linkNodes(nodes: TestNode[], accepts: Record<string, Purpose[]> = {}) {
  const id = (node: TestNode) => node.services.identity.nodeId;
  const signing = new Map(nodes.map((node) => [id(node), publicKey(node.services.keys.signing)]));
  const policies: Record<string, NodePolicy> = {};
  for (const node of nodes) {
    policies[id(node)] = {
      acceptsPurposes: accepts[id(node)] ?? ['reunification', 'anti_trafficking'],
      allowsRecipients: nodes.map(id).filter((other) => other !== id(node)),
    };
  }
  const config = (): FederationConfig => ({
    version: 1,
    issuedAt: new Date(Date.now() - 60_000).toISOString(),
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    members: [],
    revocations: [],
    policy: { nodes: policies },
  });
  for (const node of nodes) {
    for (const other of nodes) {
      if (other === node) continue;
      await node.services.db
        .insert(federationMembers)
        .values({
          nodeId: id(other),
          displayName: id(other),
          signingKeys: [signing.get(id(other)) as PublicJwk],
          encryptionKeys: [publicKey(other.services.keys.encryption)],
        })
        .onConflictDoNothing();
    }
    // The signed configuration and its key windows are tested in trust/; here they are given.
    node.services.trust = { ...node.services.trust, current: async () => config() };
    node.services.directory = {
      ...node.services.directory,
      originSigningKeys: async (envelope: Envelope) => {
        const key = signing.get(envelope.origin);
        return key ? [key] : [];
      },
    };
  }
  const delivered = new Set<string>();

  /**
   * Carries every pending outbox envelope of every node to the nodes it addresses (as the hub
   * would, fan-out patterns included, leaving out nodes whose policy refuses a purpose when
   * `asHub` is true), until nothing is left to carry. Returns the envelopes carried.
   */
  async function exchange(options: { asHub?: boolean } = {}): Promise<Envelope[]> {
    const carried: Envelope[] = [];
    for (let round = 0; round < 10; round++) {
      let moved = 0;
      for (const from of nodes) {
        const rows = await from.services.db.select().from(outbox).where(eq(outbox.status, 'pending'));
        for (const row of rows) {
          if (delivered.has(row.envelopeId)) continue;
          delivered.add(row.envelopeId);
          const envelope = row.envelope;
          carried.push(envelope);
          for (const to of nodes) {
            if (to === from || !envelope.recipients.some((recipient) => addresses(recipient, id(to))))
              continue;
            const refuses = envelope.purposes.some(
              (purpose) => !policies[id(to)]?.acceptsPurposes.includes(purpose),
            );
            if (options.asHub !== false && refuses && envelope.type !== 'query.hit') continue;
            await deliver(to, envelope);
            moved++;
          }
        }
      }
      if (moved === 0) break;
    }
    return carried;
  }

  return { exchange, deliver, policies };
}

/** Puts `envelope` in `to`'s inbox and lets its inbox take it, as from the hub. */
export async function deliver(to: TestNode, envelope: Envelope): Promise<void> {
  const original = to.services.hub;
  let taken = false;
  const { hub } = scriptedHub({
    'GET /v1/inbox': () => Response.json({ deliveries: taken ? [] : [{ envelope }] }, { status: 200 }),
    'POST /v1/inbox/ack': () => {
      taken = true;
      return Response.json({ acknowledged: 1 }, { status: 200 });
    },
  });
  to.services.hub = hub;
  try {
    await pullOnce(to.services, 0);
  } finally {
    to.services.hub = original;
  }
}
