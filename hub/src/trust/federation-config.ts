// Builds the federation configuration document from what the hub knows, with no I/O: members
// with their unexpired, unrevoked certificates and their keys with validity windows, the
// revocations nodes must know, and each node's policy (the default when an administrator set
// none: every purpose, every other active member).
import { type FederationConfig, type NodePolicy, Purpose } from '@khoj/contracts';
import type {
  MemberRow,
  NodeCertificateRow,
  NodeKeyRow,
  NodePolicyRow,
  RevocationRow,
} from '../db/schema/index.ts';

/** Keys whose window closed longer ago than this are dropped: nothing signed then is still in flight. */
export const KEY_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export type ConfigSources = {
  members: MemberRow[];
  certificates: NodeCertificateRow[];
  keys: NodeKeyRow[];
  revocations: RevocationRow[];
  policies: NodePolicyRow[];
};

export function buildFederationConfig(
  sources: ConfigSources,
  header: { version: number; issuedAt: Date; expiresAt: Date },
): FederationConfig {
  const at = header.issuedAt.getTime();
  const revoked = new Set(sources.revocations.map((revocation) => revocation.serialHex));
  const certificateEnd = new Map(
    sources.certificates.map((cert) => [cert.serialHex, cert.notAfter.getTime()]),
  );
  const active = sources.members
    .filter((member) => member.status === 'active')
    .map((member) => member.nodeId);
  const policies = new Map(sources.policies.map((row) => [row.nodeId, row.policy]));

  const keysOf = (nodeId: string, use: NodeKeyRow['use']) =>
    sources.keys
      .filter((key) => key.nodeId === nodeId && key.use === use)
      .filter((key) => key.validUntil === null || key.validUntil.getTime() > at - KEY_RETENTION_MS)
      .sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime() || a.kid.localeCompare(b.kid))
      .map((key) => ({
        kid: key.kid,
        jwk: key.jwk,
        validFrom: key.validFrom.toISOString(),
        ...(key.validUntil ? { validUntil: key.validUntil.toISOString() } : {}),
      }));

  const members = [...sources.members]
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId))
    .map((member) => ({
      nodeId: member.nodeId,
      displayName: member.displayName,
      country: member.nodeId.slice(0, 2),
      status: member.status,
      certificates: sources.certificates
        .filter((cert) => cert.nodeId === member.nodeId && !revoked.has(cert.serialHex))
        .filter((cert) => cert.notAfter.getTime() > at)
        .sort((a, b) => a.notBefore.getTime() - b.notBefore.getTime())
        .map((cert) => ({
          fingerprint: cert.fingerprint,
          serialHex: cert.serialHex,
          notBefore: cert.notBefore.toISOString(),
          notAfter: cert.notAfter.toISOString(),
        })),
      signingKeys: keysOf(member.nodeId, 'signing'),
      encryptionKeys: keysOf(member.nodeId, 'encryption'),
    }));

  const revocations = sources.revocations
    .filter((revocation): revocation is RevocationRow & { nodeId: string } => revocation.nodeId !== null)
    // Once the certificate has expired, its revocation no longer needs telling (as in a CRL).
    .filter((revocation) => (certificateEnd.get(revocation.serialHex) ?? Number.POSITIVE_INFINITY) > at)
    .sort((a, b) => a.revokedAt.getTime() - b.revokedAt.getTime() || a.serialHex.localeCompare(b.serialHex))
    .map((revocation) => ({
      serialHex: revocation.serialHex,
      nodeId: revocation.nodeId,
      revokedAt: revocation.revokedAt.toISOString(),
      reason: revocation.reason as FederationConfig['revocations'][number]['reason'],
    }));

  const nodes: Record<string, NodePolicy> = {};
  for (const nodeId of active) {
    nodes[nodeId] = policies.get(nodeId) ?? defaultPolicy(nodeId, active);
  }

  return {
    version: header.version,
    issuedAt: header.issuedAt.toISOString(),
    expiresAt: header.expiresAt.toISOString(),
    members,
    revocations,
    policy: { nodes },
  };
}

export function defaultPolicy(nodeId: string, activeMembers: string[]): NodePolicy {
  return {
    acceptsPurposes: [...Purpose.options],
    allowsRecipients: activeMembers.filter((other) => other !== nodeId),
  };
}
