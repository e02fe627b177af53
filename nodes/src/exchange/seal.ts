// Sealing and opening envelopes of every type, with no I/O. Sealing signs the body (JWS, origin's
// Ed25519 key), encrypts the JWS to each recipient node (JWE, one recipient entry per node) and
// signs the envelope. Opening does the reverse and checks every step, end to end: the hub in
// between could neither read nor alter what it carried. Case summaries are first minimised to
// their consent tier.
import {
  type CaseSummary,
  type ConsentScope,
  type Envelope,
  type EnvelopeType,
  envelopeIdFor,
  envelopeSigningInput,
  type FieldsTier,
  InputError,
  type PublicJwk,
  type Purpose,
  parseJsonDocument,
  SharedCase,
  type UnsignedEnvelope,
} from '@khoj/contracts';
import {
  decryptForRecipient,
  encryptForRecipients,
  isPkiError,
  type JweDecryptionKey,
  type JwsSigningKey,
  signDetached,
  signJws,
  verifyDetached,
  verifyJws,
} from '@khoj/pki';
import type { z } from 'zod';
import { minimiseSummary as minimiseToTier, summaryTier } from '../sharing/minimise.ts';

/** Longest an undelivered envelope is kept, whatever the consent says. */
const MAX_ENVELOPE_LIFETIME_MS = 30 * 24 * 3600 * 1000;

export type Recipient = { nodeId: string; encryptionKey: PublicJwk };

/** Drop what the consent tier does not allow to leave the node (a summary never carries `full`). */
export function minimiseSummary(summary: CaseSummary, tier: FieldsTier): CaseSummary {
  return minimiseToTier(summary, summaryTier(tier));
}

export async function sealCaseSummary(input: {
  summary: CaseSummary;
  scope: ConsentScope;
  recipients: Recipient[];
  signingKey: JwsSigningKey;
  now: Date;
}): Promise<Envelope> {
  const shared: SharedCase = {
    summary: minimiseSummary(input.summary, input.scope.fields),
    scope: input.scope,
  };
  return sealEnvelope({
    type: 'case.summary',
    origin: input.summary.origin,
    subject: input.summary.caseId,
    version: input.summary.version,
    body: shared,
    recipients: input.recipients,
    purposes: input.scope.purposes,
    expiresAt: new Date(input.scope.expiresAt),
    signingKey: input.signingKey,
    now: input.now,
  });
}

/**
 * Seals any body as an envelope of `type`. The envelope id is derived from (origin, type,
 * subject, version), so sealing the same thing twice gives the same id and the hub treats a
 * second submission as a retry. `expiresAt` is capped at MAX_ENVELOPE_LIFETIME_MS from now.
 */
export async function sealEnvelope(input: {
  type: EnvelopeType;
  origin: string;
  /** What the envelope is about (a case id, a query id, a request id): its per-subject order key. */
  subject: string;
  version: number;
  body: unknown;
  recipients: Recipient[];
  /**
   * The envelope's recipients when they are not the nodes sealed to: the patterns (`*`, `IN-*`) of
   * a fan-out `query.request`, which is sealed to every member they may reach.
   */
  routeTo?: string[];
  purposes: Purpose[];
  expiresAt: Date;
  signingKey: JwsSigningKey;
  now: Date;
}): Promise<Envelope> {
  const innerJws = await signJws(JSON.stringify(input.body), input.signingKey);
  const payload = await encryptForRecipients(
    innerJws,
    input.recipients.map((recipient) => ({
      kid: requireKid(recipient.encryptionKey),
      publicJwk: recipient.encryptionKey,
    })),
  );
  const expiresAt = Math.min(input.expiresAt.getTime(), input.now.getTime() + MAX_ENVELOPE_LIFETIME_MS);
  const unsigned: UnsignedEnvelope = {
    id: envelopeIdFor(input.origin, input.type, input.subject, input.version),
    type: input.type,
    origin: input.origin,
    recipients: input.routeTo ?? input.recipients.map((recipient) => recipient.nodeId),
    purposes: input.purposes,
    createdAt: input.now.toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
    payload: payload as UnsignedEnvelope['payload'],
  };
  return { ...unsigned, signature: await signDetached(envelopeSigningInput(unsigned), input.signingKey) };
}

/** Why a received envelope was not applied; stable codes for the inbox log and audit. */
export type RejectionCode =
  | 'ERR_SIGNATURE_INVALID'
  | 'ERR_DECRYPTION_FAILED'
  | 'ERR_PAYLOAD_INVALID'
  | 'ERR_ORIGIN_MISMATCH'
  // The id is not one its origin may use for its type (contracts' envelopeIdBelongsTo):
  | 'ERR_ENVELOPE_ID_MISMATCH'
  | 'ERR_TYPE_UNSUPPORTED'
  // The receiver's own policy (a purpose it does not accept, a scope already expired, …):
  | 'ERR_PURPOSE_NOT_ACCEPTED'
  | 'ERR_SCOPE_EXPIRED'
  | 'ERR_SUBJECT_UNKNOWN'
  | 'ERR_NOT_AUTHORISED'
  // Hit / no-hit queries (queries/): a hit handle past its lifetime or whose case closed, a
  // query or detail request its asker withdrew, a withdrawal of a request already decided.
  | 'ERR_HIT_EXPIRED'
  | 'ERR_QUERY_WITHDRAWN'
  | 'ERR_DETAIL_REQUEST_WITHDRAWN'
  | 'ERR_DETAIL_REQUEST_DECIDED'
  // A cross-border match's workflow (cross-border/workflow.ts): closed, or not confirmed by both.
  | 'ERR_CANDIDATE_CLOSED'
  | 'ERR_NOT_CONFIRMED'
  // From the signed federation configuration (trust/origin-keys.ts):
  | 'ERR_ORIGIN_UNKNOWN'
  | 'ERR_ORIGIN_REVOKED'
  | 'ERR_KEY_NOT_VALID'
  | 'ERR_SIGNED_IN_FUTURE';

export class EnvelopeRejected extends Error {
  readonly code: RejectionCode;
  constructor(code: RejectionCode, message: string) {
    super(message);
    this.name = 'EnvelopeRejected';
    this.code = code;
  }
}

export type OpeningKeys = {
  /** This node's encryption keys: the current one and any still in a rotation's overlap. */
  own: JweDecryptionKey | JweDecryptionKey[];
  /** Only the origin's keys valid at the envelope's signing time (trust/origin-keys.ts). */
  originSigningKeys: PublicJwk[];
};

/**
 * Checks the envelope's signature, decrypts the payload, checks the origin's signature on it and
 * parses it with the schema of its type. Every failure is an EnvelopeRejected with its code.
 */
export async function openEnvelope<Schema extends z.ZodType>(
  envelope: Envelope,
  keys: OpeningKeys,
  schema: Schema,
): Promise<z.output<Schema>> {
  const resolve = (kid: string) => keys.originSigningKeys.find((key) => key.kid === kid);
  const innerJws = await pki('ERR_SIGNATURE_INVALID', async () => {
    await verifyDetached(envelope.signature, envelopeSigningInput(envelope), resolve);
    return new TextDecoder().decode(await decryptOrReject(envelope, keys.own));
  });
  const { payload } = await pki('ERR_SIGNATURE_INVALID', () => verifyJws(innerJws, resolve));
  const parsed = schema.safeParse(parseJson(new TextDecoder().decode(payload)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new EnvelopeRejected('ERR_PAYLOAD_INVALID', `${where}${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export async function openCaseSummary(envelope: Envelope, keys: OpeningKeys): Promise<SharedCase> {
  if (envelope.type !== 'case.summary')
    throw new EnvelopeRejected('ERR_TYPE_UNSUPPORTED', `${envelope.type} is not a case summary`);
  const shared = await openEnvelope(envelope, keys, SharedCase);
  if (shared.summary.origin !== envelope.origin) {
    throw new EnvelopeRejected(
      'ERR_ORIGIN_MISMATCH',
      `summary of ${shared.summary.origin} sent by ${envelope.origin}`,
    );
  }
  return shared;
}

/**
 * The decrypted payload, held to what any text entering the node is held to (contracts'
 * input.ts): no NUL or other control character PostgreSQL cannot store or a page should not
 * show, no unpaired surrogate, nesting within MAX_DOCUMENT_DEPTH — a member's payload is input
 * from outside like any request body.
 */
function parseJson(text: string): unknown {
  try {
    return parseJsonDocument(text);
  } catch (error) {
    if (error instanceof InputError) throw new EnvelopeRejected('ERR_PAYLOAD_INVALID', error.message);
    throw new EnvelopeRejected('ERR_PAYLOAD_INVALID', 'payload is not JSON');
  }
}

async function decryptOrReject(
  envelope: Envelope,
  own: JweDecryptionKey | JweDecryptionKey[],
): Promise<Uint8Array> {
  const keys = Array.isArray(own) ? own : [own];
  // The entry for whichever of our keys the origin encrypted to (it may be one being rotated out).
  const addressed = new Set(envelope.payload.recipients.map((recipient) => recipient.header?.kid));
  const key = keys.find((candidate) => addressed.has(candidate.kid)) ?? keys[0];
  if (!key) throw new EnvelopeRejected('ERR_DECRYPTION_FAILED', 'this node has no encryption key');
  return pki('ERR_DECRYPTION_FAILED', () => decryptForRecipient(envelope.payload, key));
}

async function pki<T>(code: RejectionCode, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (isPkiError(error)) {
      throw new EnvelopeRejected(
        error.code === 'ERR_DECRYPTION_FAILED' ? 'ERR_DECRYPTION_FAILED' : code,
        error.message,
      );
    }
    throw error;
  }
}

function requireKid(key: PublicJwk): string {
  if (!key.kid) throw new Error('recipient encryption key has no kid');
  return key.kid;
}
