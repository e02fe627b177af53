// Test fixture: envelopes of any type, signed and encrypted as a node seals them (a compact JWS
// of the content by the origin inside a JWE to each recipient node, and the origin's detached
// signature over the envelope fields), so hub tests exercise the real cryptography.
import {
  type Envelope,
  type EnvelopeType,
  envelopeIdFor,
  envelopeSigningInput,
  type Purpose,
  type UnsignedEnvelope,
} from '@khoj/contracts';
import { encryptForRecipients, signDetached, signJws } from '@khoj/pki';
import type { TestNode } from './test-federation.ts';

export type EnvelopeOptions = {
  type?: EnvelopeType;
  /** An id of the test's choosing instead of the one derived from origin, type, subject and version. */
  id?: string;
  /** As written in the envelope (node ids, or `*` / `IN-*` for a query); default: the ids of `to`. */
  recipients?: string[];
  purposes?: Purpose[];
  subject?: string;
  version?: number;
  content?: string;
  createdAt?: Date;
  /** Default: a day after createdAt. */
  expiresAt?: Date;
};

/** An envelope from `from`, encrypted to every node of `to`. */
export async function sealedEnvelope(
  from: TestNode,
  to: TestNode[],
  options: EnvelopeOptions = {},
): Promise<Envelope> {
  const type = options.type ?? 'case.summary';
  const createdAt = options.createdAt ?? new Date();
  const inner = await signJws(options.content ?? `{"test":"${type}"}`, from.signing);
  const payload = await encryptForRecipients(
    inner,
    to.map((node) => ({ kid: node.encryption.kid, publicJwk: node.encryption.publicJwk })),
  );
  const unsigned: UnsignedEnvelope = {
    id:
      options.id ??
      envelopeIdFor(
        from.nodeId,
        type,
        options.subject ?? `case_${crypto.randomUUID().replaceAll('-', '')}`,
        options.version ?? 1,
      ),
    type,
    origin: from.nodeId,
    recipients: options.recipients ?? to.map((node) => node.nodeId),
    purposes: options.purposes ?? ['reunification'],
    createdAt: createdAt.toISOString(),
    expiresAt: (options.expiresAt ?? new Date(createdAt.getTime() + 86_400_000)).toISOString(),
    payload: payload as UnsignedEnvelope['payload'],
  };
  return { ...unsigned, signature: await signDetached(envelopeSigningInput(unsigned), from.signing) };
}
