// Which of an envelope origin's signing keys may verify it, by the signed federation
// configuration: only keys whose validity window contains the envelope's signing time
// (`createdAt`, covered by the origin's signature). A key rotated out verifies what it signed
// before its `validUntil` and nothing after; a revoked node's keys close at the revocation, so
// what it signs afterwards is refused even if some path still delivers it. Pure: the
// configuration and the clock are given.
import { type Envelope, type FederationConfig, memberKeyValidAt, type PublicJwk } from '@khoj/contracts';
import { EnvelopeRejected } from '../exchange/seal.ts';

/** An envelope signed this far ahead of our clock is still taken (clocks differ); beyond, it is refused. */
export const SIGNING_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * The origin's signing keys valid at the envelope's signing time, or EnvelopeRejected saying why
 * the key that signed it is not acceptable: ERR_ORIGIN_UNKNOWN (not a member), ERR_ORIGIN_REVOKED
 * (signed at or after the node's revocation), ERR_KEY_NOT_VALID (the key exists but its window
 * does not contain the signing time), ERR_SIGNED_IN_FUTURE, or ERR_SIGNATURE_INVALID (a kid the
 * configuration does not know, or no readable signature header).
 */
export function originSigningKeys(config: FederationConfig, envelope: Envelope, now: Date): PublicJwk[] {
  const signedAt = new Date(envelope.createdAt);
  if (Number.isNaN(signedAt.getTime())) {
    throw new EnvelopeRejected('ERR_PAYLOAD_INVALID', `createdAt ${envelope.createdAt} is not a time`);
  }
  if (signedAt.getTime() > now.getTime() + SIGNING_CLOCK_SKEW_MS) {
    throw new EnvelopeRejected(
      'ERR_SIGNED_IN_FUTURE',
      `signed at ${envelope.createdAt}, later than this node's clock allows`,
    );
  }
  const member = config.members.find((candidate) => candidate.nodeId === envelope.origin);
  if (!member) {
    throw new EnvelopeRejected(
      'ERR_ORIGIN_UNKNOWN',
      `${envelope.origin} is not a member in federation configuration version ${config.version}`,
    );
  }
  const valid = member.signingKeys.flatMap((key) => {
    const jwk = memberKeyValidAt(config, member.nodeId, 'signing', key.kid, signedAt);
    return jwk ? [{ ...jwk, kid: key.kid }] : [];
  });
  const kid = signatureKid(envelope.signature);
  if (valid.some((key) => key.kid === kid)) return valid;

  const revokedAt = member.status === 'revoked' ? revocationTime(config, member.nodeId) : undefined;
  if (member.status === 'revoked' && (revokedAt === undefined || signedAt >= revokedAt)) {
    throw new EnvelopeRejected(
      'ERR_ORIGIN_REVOKED',
      `${member.nodeId} was revoked${revokedAt ? ` at ${revokedAt.toISOString()}` : ''}; this was signed at ${envelope.createdAt}`,
    );
  }
  const named = member.signingKeys.find((key) => key.kid === kid);
  if (named) {
    throw new EnvelopeRejected(
      'ERR_KEY_NOT_VALID',
      `key ${kid} of ${member.nodeId} is valid from ${named.validFrom} until ${named.validUntil ?? 'further notice'}; this was signed at ${envelope.createdAt}`,
    );
  }
  throw new EnvelopeRejected(
    'ERR_SIGNATURE_INVALID',
    `${kid ? `key ${kid}` : 'the signing key'} is not a key of ${member.nodeId} in configuration version ${config.version}`,
  );
}

/** When the node's revocation took effect: the latest of its certificate revocations. */
function revocationTime(config: FederationConfig, nodeId: string): Date | undefined {
  const times = config.revocations
    .filter((revocation) => revocation.nodeId === nodeId)
    .map((revocation) => Date.parse(revocation.revokedAt));
  return times.length > 0 ? new Date(Math.max(...times)) : undefined;
}

/** The kid in a compact (detached) JWS header, or undefined when it cannot be read. */
function signatureKid(jws: string): string | undefined {
  const header = typeof jws === 'string' ? jws.split('.')[0] : undefined;
  if (!header) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof parsed.kid === 'string' ? parsed.kid : undefined;
  } catch {
    return undefined;
  }
}
