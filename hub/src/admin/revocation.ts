// Revocation by an administrator (RFC 5280 reason codes). Revoking a node revokes every
// certificate it holds, marks it revoked and closes its keys' windows at the revocation time,
// so nodes reject anything it signs afterwards; in the same transaction the CRLs are re-signed
// and a new federation configuration published. The hub itself refuses the node from the very
// next request: every request reads the revocations (trust/client-certificate.ts).
import type { RevocationReason } from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import { and, eq, gt, isNull, notExists, or } from 'drizzle-orm';
import { appendHubAudit } from '../audit/audit.store.ts';
import { members, nodeCertificates, nodeKeys, revocations } from '../db/schema/index.ts';
import type { HubServices } from '../services.ts';
import { reissueCrls } from '../trust/crl.store.ts';
import { publishFederationConfig } from '../trust/federation-config.store.ts';

export type RevocationOutcome = { revoked: string[]; configVersion: number };

export async function revokeNode(
  services: HubServices,
  nodeId: string,
  reason: RevocationReason,
  actor: string,
  requestId: string | null = null,
): Promise<RevocationOutcome> {
  const now = services.clock();
  return services.db.transaction(async (tx) => {
    const [member] = await tx.select().from(members).where(eq(members.nodeId, nodeId)).for('update');
    if (!member) throw new ApiError('NODE_NOT_FOUND', `no member ${nodeId}`);
    if (member.status === 'revoked') throw new ApiError('ALREADY_REVOKED', `${nodeId} is revoked already`);
    const certificates = await tx
      .select()
      .from(nodeCertificates)
      .where(
        and(
          eq(nodeCertificates.nodeId, nodeId),
          notExists(
            tx.select().from(revocations).where(eq(revocations.serialHex, nodeCertificates.serialHex)),
          ),
        ),
      );
    if (certificates.length > 0) {
      await tx.insert(revocations).values(
        certificates.map((certificate) => ({
          serialHex: certificate.serialHex,
          issuerSerialHex: certificate.issuerSerialHex,
          nodeId,
          subject: nodeId,
          revokedAt: now,
          reason,
          revokedBy: actor,
        })),
      );
    }
    await tx.update(members).set({ status: 'revoked' }).where(eq(members.nodeId, nodeId));
    await tx
      .update(nodeKeys)
      .set({ validUntil: now })
      .where(and(eq(nodeKeys.nodeId, nodeId), or(isNull(nodeKeys.validUntil), gt(nodeKeys.validUntil, now))));
    const serials = certificates.map((certificate) => certificate.serialHex);
    await appendHubAudit(tx, {
      at: now,
      actor,
      action: 'node.revoke',
      subject: nodeId,
      detail: { reason, serials: serials.join(' ') },
      requestId,
    });
    await reissueCrls(tx, services, now);
    const config = await publishFederationConfig(tx, services, `node.revoke ${nodeId}`, now);
    return { revoked: serials, configVersion: config.version };
  });
}

/**
 * Revokes one certificate by serial: a node certificate (the node stays a member through its
 * other certificates, if any) or an administrator certificate, which the hub may never have
 * seen (it is then listed by every issuing CA's CRL).
 */
export async function revokeCertificate(
  services: HubServices,
  serialHex: string,
  reason: RevocationReason,
  actor: string,
  requestId: string | null = null,
): Promise<RevocationOutcome> {
  const now = services.clock();
  return services.db.transaction(async (tx) => {
    const [already] = await tx
      .select()
      .from(revocations)
      .where(eq(revocations.serialHex, serialHex))
      .limit(1);
    if (already) throw new ApiError('ALREADY_REVOKED', `certificate ${serialHex} is revoked already`);
    const [certificate] = await tx
      .select()
      .from(nodeCertificates)
      .where(eq(nodeCertificates.serialHex, serialHex))
      .limit(1);
    await tx.insert(revocations).values({
      serialHex,
      issuerSerialHex: certificate?.issuerSerialHex ?? null,
      nodeId: certificate?.nodeId ?? null,
      subject: certificate?.nodeId ?? 'certificate not issued to a node',
      revokedAt: now,
      reason,
      revokedBy: actor,
    });
    await appendHubAudit(tx, {
      at: now,
      actor,
      action: 'certificate.revoke',
      subject: certificate?.nodeId ?? serialHex,
      detail: { serialHex, reason },
      requestId,
    });
    await reissueCrls(tx, services, now);
    const config = await publishFederationConfig(tx, services, `certificate.revoke ${serialHex}`, now);
    return { revoked: [serialHex], configVersion: config.version };
  });
}
