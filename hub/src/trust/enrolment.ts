// A node asking to join: it asks for a challenge with its invitation token, then presents the
// token, its CSR and its public signing and encryption keys with proofs of possession of all
// three private keys over that challenge (pki's verifyProofOfPossession; the CSR itself is
// checked there too: RSA ≥ 3072, its own signature, naming the node). Every check runs before anything is stored;
// the invitation is then spent and the request stored in one transaction, so a token is used at
// most once even when two submissions race. The node polls with the same token.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EnrolmentChallenge, EnrolmentRequest, EnrolmentStatus } from '@khoj/contracts';
import { isPkiError, verifyProofOfPossession } from '@khoj/pki';
import { ApiError, newId } from '@khoj/platform';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { appendHubAudit } from '../audit/audit.store.ts';
import {
  type EnrolmentRow,
  enrolments,
  type InvitationRow,
  invitations,
  nodeCertificates,
  nodeKeys,
} from '../db/schema/index.ts';
import type { HubServices } from '../services.ts';
import { enrolmentChallengeKey, newEnrolmentChallenge } from './challenges.ts';
import { csrError, issuedCertificate } from './issuance.ts';
import { checkPublishedKey } from './published-keys.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function submitEnrolment(
  services: HubServices,
  request: EnrolmentRequest,
  requestId: string | null = null,
): Promise<EnrolmentStatus> {
  const now = services.clock();
  const tokenHash = hashToken(request.token);
  const invitation = await usableInvitation(services, tokenHash, now);
  const signingKey = await checkPublishedKey('signing', request.signingKey);
  const encryptionKey = await checkPublishedKey('encryption', request.encryptionKey);
  const hubPrivateJwk = enrolmentChallengeKey(services.configSigningKey, request.challenge, now);
  let tlsKeySha256: string;
  try {
    const verified = await verifyProofOfPossession({
      nodeId: invitation.nodeId,
      token: request.token,
      challenge: request.challenge,
      hubPrivateJwk,
      csrPem: request.csrPem,
      signingPublicJwk: signingKey,
      encryptionPublicJwk: encryptionKey,
      proof: request.proof,
    });
    tlsKeySha256 = verified.tlsKeyFingerprint;
  } catch (error) {
    if (isPkiError(error, 'ERR_POP_INVALID')) throw new ApiError('PROOF_OF_POSSESSION_FAILED', error.message);
    if (isPkiError(error)) throw csrError(error);
    throw error;
  }
  const published = await services.db
    .select({ kid: nodeKeys.kid })
    .from(nodeKeys)
    .where(inArray(nodeKeys.kid, [signingKey.kid, encryptionKey.kid]))
    .limit(1);
  if (published.length > 0) {
    throw new ApiError(
      'KEY_ALREADY_PUBLISHED',
      `key ${published[0]?.kid} was published before; enrol with new keys`,
    );
  }

  const row: EnrolmentRow = {
    id: newId('enr'),
    invitationId: invitation.id,
    nodeId: invitation.nodeId,
    displayName: invitation.displayName,
    csrPem: request.csrPem,
    signingKey,
    encryptionKey,
    tlsKeySha256,
    status: 'pending',
    submittedAt: now,
    decidedAt: null,
    decidedBy: null,
    reason: null,
    certificateSerial: null,
  };
  await services.db.transaction(async (tx) => {
    const spent = await tx
      .update(invitations)
      .set({ usedAt: now, enrolmentId: row.id })
      .where(and(eq(invitations.id, invitation.id), isNull(invitations.usedAt)))
      .returning({ id: invitations.id });
    if (spent.length === 0)
      throw new ApiError('ENROLMENT_TOKEN_USED', 'this enrolment token has been used already');
    await tx.insert(enrolments).values(row);
    await appendHubAudit(tx, {
      at: now,
      actor: `enrolment:${row.id}`,
      action: 'enrolment.submit',
      subject: row.nodeId,
      detail: {
        enrolmentId: row.id,
        invitationId: invitation.id,
        tlsKeySha256,
        signingKid: signingKey.kid,
        encryptionKid: encryptionKey.kid,
      },
      requestId,
    });
  });
  return enrolmentStatus(row, undefined);
}

/** Checks the token (without spending it) and hands out a challenge for the proofs. */
export async function enrolmentChallenge(services: HubServices, token: string): Promise<EnrolmentChallenge> {
  const now = services.clock();
  await usableInvitation(services, hashToken(token), now);
  return newEnrolmentChallenge(services.configSigningKey, now);
}

/** The enrolment `enrolmentId`, if `token` is the invitation token it was submitted with. */
export async function enrolmentStatusFor(
  services: HubServices,
  enrolmentId: string,
  token: string | undefined,
): Promise<EnrolmentStatus> {
  const [found] = await services.db
    .select({ enrolment: enrolments, tokenHash: invitations.tokenHash })
    .from(enrolments)
    .innerJoin(invitations, eq(invitations.id, enrolments.invitationId))
    .where(eq(enrolments.id, enrolmentId))
    .limit(1);
  // An unknown id and a wrong token answer alike, so ids cannot be probed without the token.
  if (!found || !token || !sameHash(found.tokenHash, hashToken(token))) {
    throw new ApiError('ENROLMENT_TOKEN_INVALID', 'no enrolment with this id for this token');
  }
  const { enrolment } = found;
  const [certificate] = enrolment.certificateSerial
    ? await services.db
        .select()
        .from(nodeCertificates)
        .where(eq(nodeCertificates.serialHex, enrolment.certificateSerial))
        .limit(1)
    : [];
  return enrolmentStatus(enrolment, certificate);
}

function enrolmentStatus(
  row: EnrolmentRow,
  certificate: Parameters<typeof issuedCertificate>[0] | undefined,
): EnrolmentStatus {
  return {
    id: row.id,
    nodeId: row.nodeId,
    status: row.status,
    submittedAt: row.submittedAt.toISOString(),
    ...(row.decidedAt ? { decidedAt: row.decidedAt.toISOString() } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
    ...(certificate ? { certificate: issuedCertificate(certificate) } : {}),
  };
}

/** The invitation of a token that may still be used, or the code saying why not. */
async function usableInvitation(services: HubServices, tokenHash: string, now: Date): Promise<InvitationRow> {
  const [invitation] = await services.db
    .select()
    .from(invitations)
    .where(eq(invitations.tokenHash, tokenHash))
    .limit(1);
  if (!invitation)
    throw new ApiError('ENROLMENT_TOKEN_INVALID', 'this enrolment token was not issued by this hub');
  if (invitation.usedAt)
    throw new ApiError('ENROLMENT_TOKEN_USED', 'this enrolment token has been used already');
  if (invitation.expiresAt <= now) {
    throw new ApiError(
      'ENROLMENT_TOKEN_EXPIRED',
      `this enrolment token expired at ${invitation.expiresAt.toISOString()}`,
    );
  }
  return invitation;
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The bearer token of an Authorization header. */
export function bearerToken(header: string | undefined): string | undefined {
  return header?.match(/^Bearer\s+(\S+)$/i)?.[1];
}
