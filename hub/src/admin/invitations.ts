// Invitations: an administrator lets one node id enrol, once, before a deadline. The token is
// 256 random bits, returned once and stored only as its SHA-256.
import { randomBytes } from 'node:crypto';
import type { Invitation } from '@khoj/contracts';
import { ApiError, newId } from '@khoj/platform';
import { desc, eq } from 'drizzle-orm';
import { appendHubAudit } from '../audit/audit.store.ts';
import { type InvitationRow, invitations, members } from '../db/schema/index.ts';
import type { HubServices } from '../services.ts';
import { hashToken } from '../trust/enrolment.ts';

const HOUR_MS = 60 * 60 * 1000;
/** Prefix that makes a leaked token recognisable (secret scanners, logs). */
export const ENROLMENT_TOKEN_PREFIX = 'khoj_enrol_';

export type InvitationInput = { nodeId: string; displayName: string; expiresInHours: number };

/** `actor` is who acts: `admin:<name>` over the API, `cli:<user>` from the command line. */
export async function createInvitation(
  services: HubServices,
  input: InvitationInput,
  actor: string,
  requestId: string | null = null,
): Promise<{ invitation: Invitation; token: string }> {
  const now = services.clock();
  const token = ENROLMENT_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row: InvitationRow = {
    id: newId('inv'),
    nodeId: input.nodeId,
    displayName: input.displayName,
    tokenHash: hashToken(token),
    createdBy: actor,
    createdAt: now,
    expiresAt: new Date(now.getTime() + input.expiresInHours * HOUR_MS),
    usedAt: null,
    enrolmentId: null,
  };
  await services.db.transaction(async (tx) => {
    const [member] = await tx.select().from(members).where(eq(members.nodeId, input.nodeId)).limit(1);
    // A revoked node may enrol again with new keys; an active one renews instead.
    if (member && member.status !== 'revoked') {
      throw new ApiError(
        'NODE_ALREADY_MEMBER',
        `${input.nodeId} is a member (${member.status}); it renews, it does not enrol`,
      );
    }
    await tx.insert(invitations).values(row);
    await appendHubAudit(tx, {
      at: now,
      actor,
      action: 'invitation.create',
      subject: input.nodeId,
      detail: { invitationId: row.id, expiresAt: row.expiresAt.toISOString() },
      requestId,
    });
  });
  return { invitation: invitationView(row, now), token };
}

export async function listInvitations(services: HubServices): Promise<Invitation[]> {
  const now = services.clock();
  const rows = await services.db.select().from(invitations).orderBy(desc(invitations.createdAt));
  return rows.map((row) => invitationView(row, now));
}

function invitationView(row: InvitationRow, now: Date): Invitation {
  return {
    id: row.id,
    nodeId: row.nodeId,
    displayName: row.displayName,
    status: row.usedAt ? 'used' : row.expiresAt <= now ? 'expired' : 'open',
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    ...(row.usedAt ? { usedAt: row.usedAt.toISOString() } : {}),
    ...(row.enrolmentId ? { enrolmentId: row.enrolmentId } : {}),
  };
}
