// The federation directory as this node knows it: fetched from the hub, kept in the database,
// used to resolve consent recipients (`IN-*`) to member nodes and to find their public keys.
import { type Member, type PublicJwk, recipientMatches } from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import { notInArray, sql } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { federationMembers } from '../db/schema/index.ts';
import { type HubClient, HubRequestError } from './hub-client.ts';

export type Directory = ReturnType<typeof createDirectory>;

export function createDirectory(db: Database<typeof schema>, hub: HubClient) {
  async function refresh(): Promise<Member[]> {
    const { data, error, response } = await hub.GET('/v1/members');
    if (!data) throw new HubRequestError('list members', response.status, error);
    await db.transaction(async (tx) => {
      const ids = data.members.map((member) => member.nodeId);
      await tx
        .delete(federationMembers)
        .where(ids.length ? notInArray(federationMembers.nodeId, ids) : sql`true`);
      for (const member of data.members) {
        const row = {
          nodeId: member.nodeId,
          displayName: member.displayName,
          signingKeys: member.signingKeys,
          encryptionKeys: member.encryptionKeys,
        };
        await tx
          .insert(federationMembers)
          .values(row)
          .onConflictDoUpdate({ target: federationMembers.nodeId, set: { ...row, fetchedAt: sql`now()` } });
      }
    });
    return data.members;
  }

  /** `from`: the caller's transaction, when there is one (PGlite serves one query at a time). */
  async function members(from: Pick<typeof db, 'select'> = db) {
    return from.select().from(federationMembers).orderBy(federationMembers.nodeId);
  }

  return {
    refresh,
    members,
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
    async signingKeys(nodeId: string): Promise<PublicJwk[]> {
      return (await members()).find((member) => member.nodeId === nodeId)?.signingKeys ?? [];
    },
  };
}
