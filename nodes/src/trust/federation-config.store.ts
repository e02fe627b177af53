// Keeping the accepted federation configuration in the node's database, and with it the
// directory of members (the `federation_members` rows publishing reads inside its transaction).
// Both change in one transaction, and never to a lower version than the one held, even when two
// node processes adopt at the same time.
import type { FederationConfig, PublicJwk } from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import { eq, lte, notInArray, sql } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { type FederationConfigRow, federationConfig, federationMembers } from '../db/schema/index.ts';

type NodeDb = Database<typeof schema>;

export async function loadHeldConfig(db: Pick<NodeDb, 'select'>): Promise<FederationConfigRow | undefined> {
  const [row] = await db.select().from(federationConfig).where(eq(federationConfig.slot, 'current')).limit(1);
  return row;
}

/**
 * Stores a verified configuration and rebuilds the directory from it. Returns false (and changes
 * nothing) when another process has already stored a higher version.
 */
export async function adoptConfig(
  db: NodeDb,
  verified: { jws: string; config: FederationConfig },
  now: Date,
): Promise<boolean> {
  const { jws, config } = verified;
  return db.transaction(async (tx) => {
    const row = {
      slot: 'current',
      version: config.version,
      jws,
      issuedAt: new Date(config.issuedAt),
      expiresAt: new Date(config.expiresAt),
      acceptedAt: now,
    };
    const stored = await tx
      .insert(federationConfig)
      .values(row)
      .onConflictDoUpdate({
        target: federationConfig.slot,
        set: row,
        setWhere: lte(federationConfig.version, config.version),
      })
      .returning({ version: federationConfig.version });
    if (stored.length === 0) return false;

    const entries = directoryEntries(config, now);
    const ids = entries.map((entry) => entry.nodeId);
    await tx
      .delete(federationMembers)
      .where(ids.length ? notInArray(federationMembers.nodeId, ids) : sql`true`);
    for (const entry of entries) {
      await tx
        .insert(federationMembers)
        .values(entry)
        .onConflictDoUpdate({ target: federationMembers.nodeId, set: { ...entry, fetchedAt: now } });
    }
    return true;
  });
}

/**
 * The directory as publishing needs it: active members only, each with its keys valid at `now`,
 * newest first (publishing encrypts to the first encryption key).
 */
export function directoryEntries(config: FederationConfig, now: Date) {
  const at = now.getTime();
  const current = (keys: FederationConfig['members'][number]['signingKeys']): PublicJwk[] =>
    keys
      .filter((key) => Date.parse(key.validFrom) <= at)
      .filter((key) => key.validUntil === undefined || at < Date.parse(key.validUntil))
      .sort((a, b) => Date.parse(b.validFrom) - Date.parse(a.validFrom))
      .map((key) => ({ ...key.jwk, kid: key.kid }));
  return config.members
    .filter((member) => member.status === 'active')
    .map((member) => ({
      nodeId: member.nodeId,
      displayName: member.displayName,
      signingKeys: current(member.signingKeys),
      encryptionKeys: current(member.encryptionKeys),
    }));
}
