// The signed federation configuration: who belongs to the federation, with which certificates
// and keys (each with its validity), what was revoked, and each node's policy. The hub signs it
// (compact JWS, EdDSA) with its configuration-signing key; every node verifies it against the
// anchor it was given at enrolment with `verifyFederationConfig`, here so that hub and nodes
// read the document with the same schema and the same rules.
import { createPublicKey, verify } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { Purpose } from './consent.ts';
import { NodeId, RecipientPattern } from './ids.ts';
import { parseJsonDocument } from './input.ts';
import { PublicJwk } from './keys.ts';

const Instant = z.iso.datetime({ offset: true });
const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
export const SerialHex = z
  .string()
  .regex(/^[0-9a-f]{2,40}$/, 'lowercase hex certificate serial number')
  .openapi({ example: '4f3c9a0b1d2e3f405162738495a6b7c8' });

/** RFC 5280 §5.3.1 reason codes we accept (certificateHold and removeFromCRL: revocation is final here). */
export const RevocationReason = z
  .enum([
    'unspecified',
    'keyCompromise',
    'cACompromise',
    'affiliationChanged',
    'superseded',
    'cessationOfOperation',
    'privilegeWithdrawn',
  ])
  .openapi('RevocationReason');
export type RevocationReason = z.infer<typeof RevocationReason>;

export const ConfigCertificate = z
  .object({ fingerprint: Sha256Hex, serialHex: SerialHex, notBefore: Instant, notAfter: Instant })
  .openapi('ConfigCertificate');

/** A public key and the window in which signatures by it (or encryption to it) count. */
export const ConfigKey = z
  .object({ kid: z.string().min(1), jwk: PublicJwk, validFrom: Instant, validUntil: Instant.optional() })
  .openapi('ConfigKey');
export type ConfigKey = z.infer<typeof ConfigKey>;

export const MemberStatus = z.enum(['active', 'suspended', 'revoked']).openapi('MemberStatus');
export type MemberStatus = z.infer<typeof MemberStatus>;

export const ConfigMember = z
  .object({
    nodeId: NodeId,
    displayName: z.string().min(1),
    /** ISO 3166-1 alpha-2 of the node's jurisdiction. */
    country: z.string().regex(/^[A-Z]{2}$/),
    status: MemberStatus,
    certificates: z.array(ConfigCertificate),
    signingKeys: z.array(ConfigKey),
    encryptionKeys: z.array(ConfigKey),
  })
  .openapi('ConfigMember');
export type ConfigMember = z.infer<typeof ConfigMember>;

export const ConfigRevocation = z
  .object({ serialHex: SerialHex, nodeId: NodeId, revokedAt: Instant, reason: RevocationReason })
  .openapi('ConfigRevocation');

export const NodePolicy = z
  .object({
    /** Purposes of queries this node answers. */
    acceptsPurposes: z.array(Purpose),
    /** Nodes (or patterns such as `IN-*`) this node sends to. */
    allowsRecipients: z.array(RecipientPattern),
  })
  .openapi('NodePolicy');
export type NodePolicy = z.infer<typeof NodePolicy>;

export const FederationConfig = z
  .object({
    /** Bumps with every change and every re-signing; nodes refuse a lower version than they hold. */
    version: z.number().int().positive(),
    issuedAt: Instant,
    expiresAt: Instant,
    members: z.array(ConfigMember),
    revocations: z.array(ConfigRevocation),
    policy: z.object({ nodes: z.record(NodeId, NodePolicy) }),
  })
  .openapi('FederationConfig');
export type FederationConfig = z.infer<typeof FederationConfig>;

/**
 * What a node operator is handed out of band before enrolling (`anchor.json` in the hub home):
 * the root CA certificate, to check the hub's TLS certificate and every chain, and the public
 * key the hub signs the federation configuration with.
 */
export const TrustAnchor = z
  .object({
    rootCertificatePem: z.string().includes('BEGIN CERTIFICATE'),
    configSigningKey: PublicJwk,
  })
  .openapi('TrustAnchor');
export type TrustAnchor = z.infer<typeof TrustAnchor>;

// ---------------------------------------------------------------------------------------------
// Verification, shared by every node. Pure: no I/O, the clock and the last version held are given.

export type FederationConfigErrorCode =
  | 'ERR_CONFIG_MALFORMED'
  | 'ERR_CONFIG_ALG_NOT_ALLOWED'
  | 'ERR_CONFIG_WRONG_KEY'
  | 'ERR_CONFIG_SIGNATURE_INVALID'
  | 'ERR_CONFIG_EXPIRED'
  | 'ERR_CONFIG_NOT_YET_VALID'
  | 'ERR_CONFIG_ROLLBACK';

export class FederationConfigError extends Error {
  readonly code: FederationConfigErrorCode;
  constructor(code: FederationConfigErrorCode, message: string) {
    super(message);
    this.name = 'FederationConfigError';
    this.code = code;
  }
}

export const CONFIG_JWS_ALGORITHMS: readonly string[] = ['EdDSA', 'Ed25519'];

/** A document issued this far in the future still counts (clocks differ); beyond, it is refused. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Verifies a configuration JWS against the anchor's public key. Refuses, each with its own code:
 * a malformed token or document, an algorithm outside the allowlist, a token signed under another
 * kid (wrong key), a signature that does not verify (tampered, or a forged kid), an expired or
 * future document, and a version below `minVersion` (rollback). The same version is accepted: it
 * is what a node holds already.
 */
export function verifyFederationConfig(
  jws: string,
  anchorPublicJwk: PublicJwk,
  options: { now: Date; minVersion?: number },
): FederationConfig {
  const parts = typeof jws === 'string' ? jws.split('.') : [];
  const [header64, payload64, signature64] = parts;
  if (parts.length !== 3 || !header64 || !payload64 || !signature64) {
    throw new FederationConfigError('ERR_CONFIG_MALFORMED', 'not a compact JWS');
  }
  const header = parseJson(header64, 'header') as Record<string, unknown>;
  if (typeof header.alg !== 'string' || !CONFIG_JWS_ALGORITHMS.includes(header.alg)) {
    throw new FederationConfigError(
      'ERR_CONFIG_ALG_NOT_ALLOWED',
      `algorithm not allowed: ${String(header.alg)}`,
    );
  }
  if ('crit' in header || 'b64' in header) {
    throw new FederationConfigError('ERR_CONFIG_MALFORMED', 'JWS header extensions are not accepted');
  }
  if (anchorPublicJwk.crv !== 'Ed25519') {
    throw new FederationConfigError('ERR_CONFIG_WRONG_KEY', 'the anchor key is not an Ed25519 key');
  }
  if (header.kid !== anchorPublicJwk.kid) {
    throw new FederationConfigError(
      'ERR_CONFIG_WRONG_KEY',
      `signed by key ${String(header.kid)}, the anchor names ${anchorPublicJwk.kid}`,
    );
  }
  let valid = false;
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: anchorPublicJwk.x }, format: 'jwk' });
    valid = verify(null, Buffer.from(`${header64}.${payload64}`), key, Buffer.from(signature64, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid)
    throw new FederationConfigError('ERR_CONFIG_SIGNATURE_INVALID', 'the signature does not verify');

  const parsed = FederationConfig.safeParse(parseJson(payload64, 'payload'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FederationConfigError(
      'ERR_CONFIG_MALFORMED',
      `not a federation configuration: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  const config = parsed.data;
  const now = options.now.getTime();
  if (Date.parse(config.expiresAt) <= now) {
    throw new FederationConfigError(
      'ERR_CONFIG_EXPIRED',
      `version ${config.version} expired at ${config.expiresAt}`,
    );
  }
  if (Date.parse(config.issuedAt) > now + CLOCK_SKEW_MS) {
    throw new FederationConfigError(
      'ERR_CONFIG_NOT_YET_VALID',
      `version ${config.version} is issued at ${config.issuedAt}`,
    );
  }
  if (options.minVersion !== undefined && config.version < options.minVersion) {
    throw new FederationConfigError(
      'ERR_CONFIG_ROLLBACK',
      `version ${config.version} is older than version ${options.minVersion} already held`,
    );
  }
  return config;
}

/**
 * The key `kid` of `nodeId` if the configuration says it was valid at `at` (a signature's time).
 * Revoking a node closes every window of its keys at the revocation time, so the windows alone
 * decide; a revoked member's key without an end is refused all the same.
 */
export function memberKeyValidAt(
  config: FederationConfig,
  nodeId: string,
  use: 'signing' | 'encryption',
  kid: string,
  at: Date,
): PublicJwk | undefined {
  const member = config.members.find((candidate) => candidate.nodeId === nodeId);
  if (!member) return undefined;
  const key = (use === 'signing' ? member.signingKeys : member.encryptionKeys).find((k) => k.kid === kid);
  if (!key || at.getTime() < Date.parse(key.validFrom)) return undefined;
  if (key.validUntil === undefined) return member.status === 'revoked' ? undefined : key.jwk;
  return at.getTime() < Date.parse(key.validUntil) ? key.jwk : undefined;
}

function parseJson(part: string, what: string): unknown {
  try {
    // Nesting checked before parsing (input.ts); a refusal is reported as malformed, as bad JSON is.
    return parseJsonDocument(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new FederationConfigError('ERR_CONFIG_MALFORMED', `the JWS ${what} is not base64url JSON`);
  }
}
