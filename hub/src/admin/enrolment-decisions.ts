// Administrators deciding enrolments. With dual control two different administrators must
// approve (the second approval issues); one denial ends the request. Approval issues the node's
// certificate from the current issuing CA, makes it a member with its keys, and publishes a new
// federation configuration — all in one transaction with the audit entries.
import type { PendingEnrolment } from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import { asc, eq, inArray } from 'drizzle-orm';
import { appendHubAudit, type HubTx } from '../audit/audit.store.ts';
import {
  type EnrolmentApprovalRow,
  type EnrolmentRow,
  enrolmentApprovals,
  enrolments,
  members,
  nodeKeys,
} from '../db/schema/index.ts';
import type { HubServices } from '../services.ts';
import { publishFederationConfig } from '../trust/federation-config.store.ts';
import { issueNodeCertificateFor } from '../trust/issuance.ts';
import { jwkThumbprint } from '../trust/published-keys.ts';

export type EnrolmentFilter = 'pending' | 'approved' | 'denied' | 'all';

export async function listEnrolments(
  services: HubServices,
  status: EnrolmentFilter,
): Promise<PendingEnrolment[]> {
  const rows = await services.db
    .select()
    .from(enrolments)
    .where(status === 'all' ? undefined : eq(enrolments.status, status))
    .orderBy(asc(enrolments.submittedAt));
  const approvals =
    rows.length === 0
      ? []
      : await services.db
          .select()
          .from(enrolmentApprovals)
          .where(
            inArray(
              enrolmentApprovals.enrolmentId,
              rows.map((row) => row.id),
            ),
          );
  return rows.map((row) => enrolmentView(row, approvals, requiredApprovals(services)));
}

export function requiredApprovals(services: Pick<HubServices, 'trust'>): number {
  return services.trust.dualControl ? 2 : 1;
}

export async function approveEnrolment(
  services: HubServices,
  enrolmentId: string,
  adminName: string,
  requestId: string | null = null,
): Promise<PendingEnrolment> {
  const now = services.clock();
  const actor = `admin:${adminName}`;
  return services.db.transaction(async (tx) => {
    const enrolment = await lockPending(tx, enrolmentId);
    const approvals = await tx
      .select()
      .from(enrolmentApprovals)
      .where(eq(enrolmentApprovals.enrolmentId, enrolmentId));
    if (approvals.some((approval) => approval.admin === adminName)) {
      throw new ApiError(
        'APPROVAL_DUPLICATE',
        `${adminName} has approved this enrolment already; dual control needs another administrator`,
      );
    }
    const approval = { enrolmentId, admin: adminName, at: now };
    await tx.insert(enrolmentApprovals).values(approval);
    approvals.push(approval);
    await appendHubAudit(tx, {
      at: now,
      actor,
      action: 'enrolment.approve',
      subject: enrolment.nodeId,
      detail: { enrolmentId, approvals: approvals.length, required: requiredApprovals(services) },
      requestId,
    });
    if (approvals.length < requiredApprovals(services)) {
      return enrolmentView(enrolment, approvals, requiredApprovals(services));
    }
    const decided = await admit(tx, services, enrolment, actor, now, requestId);
    return enrolmentView(decided, approvals, requiredApprovals(services));
  });
}

export async function denyEnrolment(
  services: HubServices,
  enrolmentId: string,
  adminName: string,
  reason: string,
  requestId: string | null = null,
): Promise<PendingEnrolment> {
  const now = services.clock();
  return services.db.transaction(async (tx) => {
    await lockPending(tx, enrolmentId);
    const [denied] = await tx
      .update(enrolments)
      .set({ status: 'denied', decidedAt: now, decidedBy: `admin:${adminName}`, reason })
      .where(eq(enrolments.id, enrolmentId))
      .returning();
    await appendHubAudit(tx, {
      at: now,
      actor: `admin:${adminName}`,
      action: 'enrolment.deny',
      subject: (denied as EnrolmentRow).nodeId,
      detail: { enrolmentId, reason },
      requestId,
    });
    const approvals = await tx
      .select()
      .from(enrolmentApprovals)
      .where(eq(enrolmentApprovals.enrolmentId, enrolmentId));
    return enrolmentView(denied as EnrolmentRow, approvals, requiredApprovals(services));
  });
}

/** The enrolment, locked against concurrent decisions; refused unless still pending. */
async function lockPending(tx: HubTx, enrolmentId: string): Promise<EnrolmentRow> {
  const [enrolment] = await tx.select().from(enrolments).where(eq(enrolments.id, enrolmentId)).for('update');
  if (!enrolment) throw new ApiError('ENROLMENT_NOT_FOUND', `no enrolment ${enrolmentId}`);
  if (enrolment.status !== 'pending') {
    throw new ApiError('ENROLMENT_NOT_PENDING', `enrolment ${enrolmentId} is ${enrolment.status} already`);
  }
  return enrolment;
}

/** Issue the certificate and make the node a member (again, if it was revoked before). */
async function admit(
  tx: HubTx,
  services: HubServices,
  enrolment: EnrolmentRow,
  actor: string,
  now: Date,
  requestId: string | null,
): Promise<EnrolmentRow> {
  const [existing] = await tx.select().from(members).where(eq(members.nodeId, enrolment.nodeId)).limit(1);
  if (existing && existing.status !== 'revoked') {
    throw new ApiError('NODE_ALREADY_MEMBER', `${enrolment.nodeId} became a member meanwhile`);
  }
  const member = {
    nodeId: enrolment.nodeId,
    displayName: enrolment.displayName,
    // Replaced by issueNodeCertificateFor right below; the row must exist first.
    certificatePem: '',
    certificateFingerprint: `pending:${enrolment.id}`,
    signingKey: enrolment.signingKey,
    encryptionKey: enrolment.encryptionKey,
    status: 'active' as const,
    registeredAt: now,
  };
  await tx.insert(members).values(member).onConflictDoUpdate({ target: members.nodeId, set: member });
  const certificate = await issueNodeCertificateFor(tx, services, {
    nodeId: enrolment.nodeId,
    csrPem: enrolment.csrPem,
    source: 'enrolment',
    now,
  });
  await tx.insert(nodeKeys).values([
    {
      kid: enrolment.signingKey.kid,
      nodeId: enrolment.nodeId,
      use: 'signing',
      jwk: enrolment.signingKey,
      validFrom: now,
    },
    {
      kid: enrolment.encryptionKey.kid,
      nodeId: enrolment.nodeId,
      use: 'encryption',
      jwk: enrolment.encryptionKey,
      validFrom: now,
    },
  ]);
  const [decided] = await tx
    .update(enrolments)
    .set({ status: 'approved', decidedAt: now, decidedBy: actor, certificateSerial: certificate.serialHex })
    .where(eq(enrolments.id, enrolment.id))
    .returning();
  await appendHubAudit(tx, {
    at: now,
    actor,
    action: 'certificate.issue',
    subject: enrolment.nodeId,
    detail: {
      enrolmentId: enrolment.id,
      serialHex: certificate.serialHex,
      notAfter: certificate.notAfter.toISOString(),
    },
    requestId,
  });
  await publishFederationConfig(tx, services, `enrolment.approve ${enrolment.nodeId}`, now);
  return decided as EnrolmentRow;
}

function enrolmentView(
  row: EnrolmentRow,
  approvals: EnrolmentApprovalRow[],
  required: number,
): PendingEnrolment {
  return {
    id: row.id,
    nodeId: row.nodeId,
    displayName: row.displayName,
    status: row.status,
    submittedAt: row.submittedAt.toISOString(),
    tlsKeySha256: row.tlsKeySha256,
    signingKeyThumbprint: jwkThumbprint(row.signingKey),
    encryptionKeyThumbprint: jwkThumbprint(row.encryptionKey),
    signingKid: row.signingKey.kid,
    encryptionKid: row.encryptionKey.kid,
    approvals: approvals
      .filter((approval) => approval.enrolmentId === row.id)
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map((approval) => ({ admin: approval.admin, at: approval.at.toISOString() })),
    approvalsRequired: required,
    ...(row.decidedAt ? { decidedAt: row.decidedAt.toISOString() } : {}),
    ...(row.decidedBy ? { decidedBy: row.decidedBy } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
    ...(row.certificateSerial ? { certificateSerial: row.certificateSerial } : {}),
  };
}
