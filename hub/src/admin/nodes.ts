// Members as administrators see them: status and certificates, the expiry watch, re-issuing a
// node's certificate, and setting its policy in the federation configuration.
import type { NodePolicy, RevocationReason } from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import { desc, eq } from 'drizzle-orm';
import { appendHubAudit } from '../audit/audit.store.ts';
import {
  members,
  type NodeCertificateRow,
  nodeCertificates,
  nodePolicies,
  revocations,
} from '../db/schema/index.ts';
import type { HubServices } from '../services.ts';
import { publishFederationConfig } from '../trust/federation-config.store.ts';
import { issueNodeCertificateFor } from '../trust/issuance.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export async function listNodes(services: Pick<HubServices, 'db'>) {
  const [rows, certificates, revoked] = await Promise.all([
    services.db.select().from(members).orderBy(members.nodeId),
    services.db.select().from(nodeCertificates).orderBy(desc(nodeCertificates.notBefore)),
    services.db.select().from(revocations),
  ]);
  const revocationOf = new Map(revoked.map((row) => [row.serialHex, row]));
  return rows.map((member) => {
    const own = certificates.filter((certificate) => certificate.nodeId === member.nodeId);
    const live = own.filter((certificate) => !revocationOf.has(certificate.serialHex));
    const latestEnd = Math.max(...live.map((certificate) => certificate.notAfter.getTime()));
    return {
      nodeId: member.nodeId,
      displayName: member.displayName,
      status: member.status,
      ...(live.length > 0 ? { certificateExpiresAt: new Date(latestEnd).toISOString() } : {}),
      certificates: own.map((certificate) => {
        const revocation = revocationOf.get(certificate.serialHex);
        return {
          serialHex: certificate.serialHex,
          fingerprint: certificate.fingerprint,
          notBefore: certificate.notBefore.toISOString(),
          notAfter: certificate.notAfter.toISOString(),
          issuedAt: certificate.issuedAt.toISOString(),
          ...(revocation
            ? {
                revokedAt: revocation.revokedAt.toISOString(),
                revocationReason: revocation.reason as RevocationReason,
              }
            : {}),
        };
      }),
    };
  });
}

/**
 * Active members whose newest unrevoked certificate ends within `withinDays` of now: the nodes
 * that must renew. An older certificate running out after a renewal is no concern and not listed.
 */
export async function expiringCertificates(services: Pick<HubServices, 'db' | 'clock'>, withinDays: number) {
  const now = services.clock();
  const horizon = now.getTime() + withinDays * DAY_MS;
  const nodes = await listNodes(services);
  return nodes
    .filter((node) => node.status === 'active' && node.certificateExpiresAt)
    .flatMap((node) => {
      const newest = node.certificates.find(
        (certificate) => !certificate.revokedAt && certificate.notAfter === node.certificateExpiresAt,
      );
      return newest && Date.parse(newest.notAfter) <= horizon
        ? [{ nodeId: node.nodeId, serialHex: newest.serialHex, notAfter: newest.notAfter }]
        : [];
    })
    .sort((a, b) => a.notAfter.localeCompare(b.notAfter));
}

/**
 * Re-issues a node's certificate for the key of its newest CSR, from the current issuing CA
 * (after an issuing-CA rotation, or when a node cannot renew in time). The node fetches it with
 * GET /v1/certificates/current; its previous certificates stay valid until they expire.
 */
export async function renewNode(
  services: HubServices,
  nodeId: string,
  actor: string,
  requestId: string | null = null,
): Promise<NodeCertificateRow> {
  const now = services.clock();
  return services.db.transaction(async (tx) => {
    const [member] = await tx.select().from(members).where(eq(members.nodeId, nodeId)).limit(1);
    if (!member) throw new ApiError('NODE_NOT_FOUND', `no member ${nodeId}`);
    if (member.status !== 'active') throw new ApiError('ALREADY_REVOKED', `${nodeId} is ${member.status}`);
    const [withCsr] = (
      await tx
        .select()
        .from(nodeCertificates)
        .where(eq(nodeCertificates.nodeId, nodeId))
        .orderBy(desc(nodeCertificates.issuedAt))
    ).filter((certificate) => certificate.csrPem !== null);
    if (!withCsr?.csrPem) {
      throw new ApiError(
        'RENEWAL_NEEDS_CSR',
        `${nodeId} was registered from a file: it must renew with a CSR itself`,
      );
    }
    const issued = await issueNodeCertificateFor(tx, services, {
      nodeId,
      csrPem: withCsr.csrPem,
      source: 'renewal',
      now,
    });
    await appendHubAudit(tx, {
      at: now,
      actor,
      action: 'certificate.reissue',
      subject: nodeId,
      detail: { serialHex: issued.serialHex, notAfter: issued.notAfter.toISOString() },
      requestId,
    });
    await publishFederationConfig(tx, services, `certificate.reissue ${nodeId}`, now);
    return issued;
  });
}

export async function setNodePolicy(
  services: HubServices,
  nodeId: string,
  policy: NodePolicy,
  actor: string,
  requestId: string | null = null,
): Promise<{ configVersion: number }> {
  const now = services.clock();
  return services.db.transaction(async (tx) => {
    const [member] = await tx.select().from(members).where(eq(members.nodeId, nodeId)).limit(1);
    if (!member) throw new ApiError('NODE_NOT_FOUND', `no member ${nodeId}`);
    const row = { nodeId, policy, updatedAt: now, updatedBy: actor };
    await tx.insert(nodePolicies).values(row).onConflictDoUpdate({ target: nodePolicies.nodeId, set: row });
    await appendHubAudit(tx, {
      at: now,
      actor,
      action: 'policy.set',
      subject: nodeId,
      detail: {
        acceptsPurposes: policy.acceptsPurposes.join(' '),
        allowsRecipients: policy.allowsRecipients.join(' '),
      },
      requestId,
    });
    const config = await publishFederationConfig(tx, services, `policy.set ${nodeId}`, now);
    return { configVersion: config.version };
  });
}
