// Queries over members, their certificates and keys.
import type { PublicJwk } from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import { and, eq, gt, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import {
  type MemberRow,
  members,
  type NodeCertificateRow,
  nodeCertificates,
  nodeKeys,
  type RevocationRow,
  revocations,
} from '../db/schema/index.ts';
import { certificateFacts } from './certificate-facts.ts';
import type { CheckedRegistration } from './registration.ts';

type HubDb = Database<typeof schema>;

/**
 * Registers members from files. A file is read as news only when its certificate is one the
 * hub has not seen: from then on the hub's own records decide (a key rotated or a certificate
 * renewed through the API is never reverted by the old file), and a node that has enrolled is
 * no longer taken from a file at all. The file's certificate and keys go into the same tables
 * as enrolled ones, so revocation, the configuration and the per-request check treat both alike.
 */
export async function upsertMembers(
  db: HubDb,
  registrations: CheckedRegistration[],
  log: (message: string) => void,
): Promise<void> {
  for (const registration of registrations) {
    await db.transaction(async (tx) => {
      const [known] = await tx
        .select({ serialHex: nodeCertificates.serialHex })
        .from(nodeCertificates)
        .where(eq(nodeCertificates.fingerprint, registration.fingerprint))
        .limit(1);
      if (known) return;
      const [enrolled] = await tx
        .select({ serialHex: nodeCertificates.serialHex })
        .from(nodeCertificates)
        .where(
          and(eq(nodeCertificates.nodeId, registration.nodeId), ne(nodeCertificates.source, 'registration')),
        )
        .limit(1);
      if (enrolled) {
        log(`members/${registration.nodeId}.json ignored: the node has enrolled`);
        return;
      }
      const row = {
        nodeId: registration.nodeId,
        displayName: registration.displayName,
        certificatePem: registration.certificatePem,
        certificateFingerprint: registration.fingerprint,
        signingKey: registration.signingKey,
        encryptionKey: registration.encryptionKey,
      };
      await tx
        .insert(members)
        .values(row)
        .onConflictDoUpdate({
          target: members.nodeId,
          set: { ...row, registeredAt: sql`now()` },
          setWhere: sql`${members.certificateFingerprint} <> ${row.certificateFingerprint}
            or ${members.signingKey} <> ${JSON.stringify(row.signingKey)}::jsonb
            or ${members.encryptionKey} <> ${JSON.stringify(row.encryptionKey)}::jsonb`,
        });
      const facts = certificateFacts(registration.certificatePem);
      await tx
        .insert(nodeCertificates)
        .values({
          serialHex: facts.serialHex,
          nodeId: registration.nodeId,
          fingerprint: facts.fingerprint,
          certificatePem: registration.certificatePem,
          csrPem: null,
          issuerSerialHex: facts.issuerSerialHex,
          source: 'registration',
          notBefore: facts.notBefore,
          notAfter: facts.notAfter,
        })
        .onConflictDoNothing();
      const now = new Date();
      for (const [use, key] of [
        ['signing', registration.signingKey],
        ['encryption', registration.encryptionKey],
      ] as const) {
        await tx
          .insert(nodeKeys)
          .values({ kid: key.kid, nodeId: registration.nodeId, use, jwk: key, validFrom: facts.notBefore })
          .onConflictDoNothing();
        // A file with a new key replaces the old one from now on.
        await tx
          .update(nodeKeys)
          .set({ validUntil: now })
          .where(
            and(
              eq(nodeKeys.nodeId, registration.nodeId),
              eq(nodeKeys.use, use),
              ne(nodeKeys.kid, key.kid),
              isNull(nodeKeys.validUntil),
            ),
          );
      }
    });
  }
}

export type CertificateHolder = {
  member: MemberRow;
  certificate: NodeCertificateRow;
  revocation: RevocationRow | null;
};

/** The member a client certificate belongs to, with that certificate's revocation if any. */
export async function findCertificateHolder(
  db: HubDb,
  fingerprint: string,
): Promise<CertificateHolder | undefined> {
  const [row] = await db
    .select({ member: members, certificate: nodeCertificates, revocation: revocations })
    .from(nodeCertificates)
    .innerJoin(members, eq(members.nodeId, nodeCertificates.nodeId))
    .leftJoin(revocations, eq(revocations.serialHex, nodeCertificates.serialHex))
    .where(eq(nodeCertificates.fingerprint, fingerprint))
    .limit(1);
  return row;
}

export async function findRevocation(db: HubDb, serialHex: string): Promise<RevocationRow | undefined> {
  const [row] = await db.select().from(revocations).where(eq(revocations.serialHex, serialHex)).limit(1);
  return row;
}

export async function findMember(db: HubDb, nodeId: string): Promise<MemberRow | undefined> {
  const [row] = await db.select().from(members).where(eq(members.nodeId, nodeId)).limit(1);
  return row;
}

export async function listMembers(db: HubDb): Promise<MemberRow[]> {
  return db.select().from(members).orderBy(members.nodeId);
}

/** The node's signing keys whose window contains `at`: what may have signed an envelope then. */
export async function signingKeysValidAt(db: HubDb, nodeIds: string[], at: Date): Promise<PublicJwk[]> {
  if (nodeIds.length === 0) return [];
  const rows = await db
    .select({ jwk: nodeKeys.jwk })
    .from(nodeKeys)
    .where(
      and(
        inArray(nodeKeys.nodeId, nodeIds),
        eq(nodeKeys.use, 'signing'),
        lte(nodeKeys.validFrom, at),
        or(isNull(nodeKeys.validUntil), gt(nodeKeys.validUntil, at)),
      ),
    );
  return rows.map((row) => row.jwk);
}

/** Every key valid at `at`, by node: what the directory lists (a rotated-out key until its overlap ends). */
export async function keysValidAt(
  db: HubDb,
  at: Date,
): Promise<Array<{ nodeId: string; use: string; jwk: PublicJwk }>> {
  return db
    .select({ nodeId: nodeKeys.nodeId, use: nodeKeys.use, jwk: nodeKeys.jwk })
    .from(nodeKeys)
    .where(and(lte(nodeKeys.validFrom, at), or(isNull(nodeKeys.validUntil), gt(nodeKeys.validUntil, at))))
    .orderBy(nodeKeys.validFrom);
}
