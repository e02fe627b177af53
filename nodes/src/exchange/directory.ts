// The federation directory as this node knows it, from the signed federation configuration
// (trust/federation-trust.ts) and never from anything unsigned: the active members and their
// current keys (kept in the database, so publishing can read them inside its transaction and
// they survive restarts and hub outages) to resolve consent recipients (`IN-*`) to member
// nodes, the federation policy those members are addressed under, and the origin keys that
// were valid when an envelope was signed, to verify it.
import {
  type Envelope,
  FederationConfigError,
  type NodePolicy,
  type PublicJwk,
  recipientMatches,
  verifyFederationConfig,
} from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import type * as schema from '../db/schema/index.ts';
import { federationMembers } from '../db/schema/index.ts';
import { loadHeldConfig } from '../trust/federation-config.store.ts';
import type { FederationTrust } from '../trust/federation-trust.ts';

export type Directory = ReturnType<typeof createDirectory>;

export function createDirectory(db: Database<typeof schema>, trust: FederationTrust) {
  /** `from`: the caller's transaction, when there is one (PGlite serves one query at a time). */
  async function members(from: Pick<typeof db, 'select'> = db) {
    return from.select().from(federationMembers).orderBy(federationMembers.nodeId);
  }

  /** The last document verified, so publishing does not verify the same one again. */
  let verified: { jws: string; policies: Record<string, NodePolicy> } | undefined;

  return {
    /** Fetches the configuration from the hub; a verified newer version rebuilds the member rows. */
    refresh: () => trust.refresh(),
    members,
    /**
     * The federation policy of every node, from the configuration held (the one the member rows
     * were built from), read through `from` and checked against the anchor again as at load; the
     * document's own expiry is not applied, as it is not for the member rows: it is the newest
     * policy this node knows. Undefined when none is held or it does not verify: the hub decides.
     */
    async policies(from: Pick<typeof db, 'select'> = db): Promise<Record<string, NodePolicy> | undefined> {
      const row = await loadHeldConfig(from);
      const key = trust.anchor?.configSigningKey;
      if (!row || !key) return undefined;
      if (verified?.jws !== row.jws) {
        try {
          const config = verifyFederationConfig(row.jws, key, { now: row.issuedAt });
          verified = { jws: row.jws, policies: config.policy.nodes };
        } catch (error) {
          if (error instanceof FederationConfigError) return undefined;
          throw error;
        }
      }
      return verified.policies;
    },
    /** Member nodes (other than `self`) that any of the consent's recipient patterns names. */
    async resolveRecipients(
      patterns: string[],
      self: string,
      from?: Pick<typeof db, 'select'>,
    ): Promise<Array<{ nodeId: string; encryptionKey: PublicJwk }>> {
      const resolved = [];
      for (const member of await members(from)) {
        const key = member.encryptionKeys[0];
        if (member.nodeId === self || !key) continue;
        if (patterns.some((pattern) => recipientMatches(pattern, member.nodeId))) {
          resolved.push({ nodeId: member.nodeId, encryptionKey: key });
        }
      }
      return resolved;
    },
    /** The origin's keys valid when `envelope` was signed; see FederationTrust.originSigningKeys. */
    originSigningKeys: (envelope: Envelope): Promise<PublicJwk[]> => trust.originSigningKeys(envelope),
  };
}
