// What `khoj hub …` does, in two ways with one shape:
// - on the hub machine, the hub's own domain functions over its home and database (the same code
//   the admin API calls; on the embedded database the hub must be stopped, PGlite serves one
//   process), acting as `cli:<user>`;
// - from anywhere, the admin API over mutual TLS with an administrator certificate made by
//   `khoj ca admin-cert` (the role in the certificate decides what it may do; dual control
//   counts the administrators named in the certificates).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import {
  AdminNode,
  AuditCheck,
  ConfigVersion,
  CreatedInvitation,
  IssuedCertificate,
  PendingEnrolment,
  type RevocationReason,
  RevocationResult,
} from '@khoj/contracts';
import {
  approveEnrolment,
  createHubServices,
  createInvitation,
  denyEnrolment,
  federationConfigHistory,
  type HubServices,
  hubPaths,
  issuedCertificate,
  listEnrolments,
  listNodes,
  renewNode,
  revokeNode,
  verifyHubAudit,
} from '@khoj/hub';
import { readPrivateFile } from '@khoj/pki';
import { z } from 'zod';
import { hubConnection } from './https.ts';

export type EnrolmentFilter = 'pending' | 'approved' | 'denied' | 'all';

export type HubAdmin = {
  /** Who the hub will record as acting. */
  actor: string;
  invite(input: { nodeId: string; displayName: string; expiresInHours: number }): Promise<Invitation>;
  enrolments(status: EnrolmentFilter): Promise<Enrolment[]>;
  approve(enrolmentId: string): Promise<Enrolment>;
  deny(enrolmentId: string, reason: string): Promise<Enrolment>;
  nodes(): Promise<Member[]>;
  revoke(nodeId: string, reason: RevocationReason): Promise<Revocation>;
  renew(nodeId: string): Promise<Certificate>;
  configHistory(): Promise<ConfigVersionRow[]>;
  verifyAudit(): Promise<AuditResult>;
  close(): Promise<void>;
};
export type Invitation = z.infer<typeof CreatedInvitation>;
export type Enrolment = z.infer<typeof PendingEnrolment>;
export type Member = z.infer<typeof AdminNode>;
export type Revocation = z.infer<typeof RevocationResult>;
export type Certificate = z.infer<typeof IssuedCertificate>;
export type ConfigVersionRow = z.infer<typeof ConfigVersion>;
export type AuditResult = z.infer<typeof AuditCheck>;

/** The files `khoj ca admin-cert --out <dir>` writes. */
export function adminCertFiles(dir: string) {
  return {
    cert: join(dir, 'admin.cert.pem'),
    key: join(dir, 'admin.key.pem'),
    root: join(dir, 'federation-root.cert.pem'),
  };
}

/** The hub's services over its home, for the domain functions; refuses a database in use. */
export async function openHubHome(hubHome: string): Promise<HubServices> {
  const paths = hubPaths(hubHome);
  if (!existsSync(paths.trustAnchor)) {
    throw new Error(`no hub in ${hubHome}: run \`khoj federation init\` first, or give --home`);
  }
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const lock = join(paths.dataDir, 'postmaster.pid');
  if (!databaseUrl && existsSync(lock)) {
    throw new Error(
      `the hub's embedded database is in use (${lock}): stop the hub first, or act through its admin API with --admin-cert <dir> --hub-url <url>. (If no hub is running, a hub process ended without closing it: remove that file.)`,
    );
  }
  return createHubServices(
    { home: hubHome, host: '127.0.0.1', port: 0, databaseUrl, maxWaitSeconds: 0, trust: hubTrustFromEnv() },
    { log: () => undefined },
  );
}

/**
 * Dual control and certificate lifetime as the hub process reads them (KHOJ_HUB_DUAL_CONTROL,
 * KHOJ_HUB_CERTIFICATE_DAYS). The hub keeps the setting in its environment only, which this
 * command may not share: unless told otherwise it assumes dual control, so that approving on
 * the hub machine can never take fewer approvals than the hub would ask for.
 */
function hubTrustFromEnv() {
  const flag = process.env.KHOJ_HUB_DUAL_CONTROL;
  const days = process.env.KHOJ_HUB_CERTIFICATE_DAYS;
  return {
    dualControl: flag === undefined || flag === '' ? true : flag === 'true' || flag === '1',
    ...(days ? { certificateDays: Number(days) } : {}),
  };
}

/** The domain functions on the hub home. `adminName`: who approves or denies (required for those). */
export async function directHubAdmin(hubHome: string, adminName?: string): Promise<HubAdmin> {
  const services = await openHubHome(hubHome);
  const actor = `cli:${adminName ?? userInfo().username}`;
  const approver = () => {
    if (!adminName) throw new Error('name the approving administrator with --admin <name>');
    return adminName;
  };
  return {
    actor,
    invite: (input) => createInvitation(services, input, actor),
    enrolments: (status) => listEnrolments(services, status),
    approve: (id) => approveEnrolment(services, id, approver()),
    deny: (id, reason) => denyEnrolment(services, id, approver(), reason),
    nodes: () => listNodes(services),
    revoke: (nodeId, reason) => revokeNode(services, nodeId, reason, actor),
    renew: async (nodeId) => issuedCertificate(await renewNode(services, nodeId, actor)),
    configHistory: async () =>
      (await federationConfigHistory(services.db)).map((row) => ({
        version: row.version,
        issuedAt: row.issuedAt.toISOString(),
        expiresAt: row.expiresAt.toISOString(),
        reason: row.reason,
      })),
    verifyAudit: () => verifyHubAudit(services.db),
    close: () => services.close(),
  };
}

/** The admin API over mutual TLS with the administrator certificate in `certDir`. */
export async function remoteHubAdmin(hubUrl: string, certDir: string): Promise<HubAdmin> {
  const files = adminCertFiles(certDir);
  for (const file of Object.values(files)) {
    if (!existsSync(file)) {
      throw new Error(
        `${file} is missing: --admin-cert names the directory \`khoj ca admin-cert --out\` wrote`,
      );
    }
  }
  const hub = hubConnection(hubUrl, {
    rootPem: await readFile(files.root, 'utf8'),
    certPem: await readFile(files.cert, 'utf8'),
    keyPem: await readPrivateFile(files.key),
  });
  const enc = encodeURIComponent;
  return {
    actor: `the administrator of ${files.cert}`,
    invite: (input) => hub.call(CreatedInvitation, 'POST', '/v1/admin/invitations', { body: input }),
    enrolments: async (status) =>
      (
        await hub.call(
          z.object({ enrolments: z.array(PendingEnrolment) }),
          'GET',
          `/v1/admin/enrolments?status=${status}`,
        )
      ).enrolments,
    approve: (id) => hub.call(PendingEnrolment, 'POST', `/v1/admin/enrolments/${enc(id)}/approve`),
    deny: (id, reason) =>
      hub.call(PendingEnrolment, 'POST', `/v1/admin/enrolments/${enc(id)}/deny`, { body: { reason } }),
    nodes: async () =>
      (await hub.call(z.object({ nodes: z.array(AdminNode) }), 'GET', '/v1/admin/nodes')).nodes,
    revoke: (nodeId, reason) =>
      hub.call(RevocationResult, 'POST', `/v1/admin/nodes/${enc(nodeId)}/revoke`, { body: { reason } }),
    renew: (nodeId) => hub.call(IssuedCertificate, 'POST', `/v1/admin/nodes/${enc(nodeId)}/renew`),
    configHistory: async () =>
      (
        await hub.call(
          z.object({ versions: z.array(ConfigVersion) }),
          'GET',
          '/v1/admin/federation-config/history',
        )
      ).versions,
    verifyAudit: () => hub.call(AuditCheck, 'GET', '/v1/admin/audit/verify'),
    close: () => hub.close(),
  };
}
