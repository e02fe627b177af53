// Queries over the members table.
import type { Database } from '@khoj/platform';
import { eq, sql } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { type MemberRow, members } from '../db/schema/index.ts';
import type { CheckedRegistration } from './registration.ts';

type HubDb = Database<typeof schema>;

export async function upsertMembers(db: HubDb, registrations: CheckedRegistration[]): Promise<void> {
  for (const registration of registrations) {
    const row = {
      nodeId: registration.nodeId,
      displayName: registration.displayName,
      certificatePem: registration.certificatePem,
      certificateFingerprint: registration.fingerprint,
      signingKey: registration.signingKey,
      encryptionKey: registration.encryptionKey,
    };
    await db
      .insert(members)
      .values(row)
      .onConflictDoUpdate({
        target: members.nodeId,
        set: { ...row, registeredAt: sql`now()` },
        setWhere: sql`${members.certificateFingerprint} <> ${row.certificateFingerprint}
          or ${members.signingKey} <> ${JSON.stringify(row.signingKey)}::jsonb
          or ${members.encryptionKey} <> ${JSON.stringify(row.encryptionKey)}::jsonb`,
      });
  }
}

export async function findMemberByFingerprint(
  db: HubDb,
  fingerprint: string,
): Promise<MemberRow | undefined> {
  const [row] = await db
    .select()
    .from(members)
    .where(eq(members.certificateFingerprint, fingerprint))
    .limit(1);
  return row;
}

export async function findMember(db: HubDb, nodeId: string): Promise<MemberRow | undefined> {
  const [row] = await db.select().from(members).where(eq(members.nodeId, nodeId)).limit(1);
  return row;
}

export async function listMembers(db: HubDb): Promise<MemberRow[]> {
  return db.select().from(members).orderBy(members.nodeId);
}
