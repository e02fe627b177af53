// Where an envelope may go, by the federation policy, with no I/O: the sender speaks only for
// itself; recipients are other active members; the sender's `allowsRecipients` must cover each
// recipient and each recipient's `acceptsPurposes` every purpose, as ENVELOPE_RULES (contracts)
// says per type. A fan-out type (`query.request`) may name `*` or patterns: the hub resolves them
// to the members that pass these checks and leaves the others out; explicit node ids are checked
// strictly. A refusal throws ApiError with its own code; nothing is stored then.
import {
  addresses,
  ENVELOPE_RULES,
  type Envelope,
  NODE_ID_PATTERN,
  type NodePolicy,
  recipientMatches,
} from '@khoj/contracts';
import { ApiError } from '@khoj/platform';

/** What the hub knows of the federation when it routes: active members and their policies. */
export type PolicyView = {
  activeMembers: ReadonlySet<string>;
  policyOf(nodeId: string): NodePolicy;
};

export function resolveRecipients(envelope: Envelope, sender: string, view: PolicyView): string[] {
  if (envelope.origin !== sender) {
    throw new ApiError(
      'ORIGIN_MISMATCH',
      `envelope origin ${envelope.origin} is not the calling node ${sender}`,
    );
  }
  if (new Set(envelope.recipients).size !== envelope.recipients.length) {
    throw new ApiError('VALIDATION_FAILED', 'recipients repeat');
  }
  const rules = ENVELOPE_RULES[envelope.type];
  const explicit = envelope.recipients.filter((recipient) => NODE_ID_PATTERN.test(recipient));
  const patterns = envelope.recipients.filter((recipient) => !NODE_ID_PATTERN.test(recipient));

  const unknown = explicit.filter((nodeId) => nodeId === sender || !view.activeMembers.has(nodeId));
  if (unknown.length > 0) {
    throw new ApiError('RECIPIENT_UNKNOWN', `not a member to deliver to: ${unknown.join(', ')}`);
  }
  const senderPolicy = view.policyOf(sender);
  const allowed = (nodeId: string) =>
    !rules.senderPolicy || senderPolicy.allowsRecipients.some((pattern) => recipientMatches(pattern, nodeId));
  const refusedPurposes = (nodeId: string) =>
    rules.recipientPurposes
      ? envelope.purposes.filter((purpose) => !view.policyOf(nodeId).acceptsPurposes.includes(purpose))
      : [];

  const notAllowed = explicit.filter((nodeId) => !allowed(nodeId));
  if (notAllowed.length > 0) {
    throw new ApiError(
      'RECIPIENT_NOT_ALLOWED',
      `the federation policy of ${sender} does not allow sending to ${notAllowed.join(', ')}`,
    );
  }
  const notAccepting = explicit
    .map((nodeId) => ({ nodeId, purposes: refusedPurposes(nodeId) }))
    .filter((refusal) => refusal.purposes.length > 0);
  if (notAccepting.length > 0) {
    throw new ApiError(
      'PURPOSE_NOT_ACCEPTED',
      notAccepting
        .map((refusal) => `${refusal.nodeId} does not accept ${refusal.purposes.join(', ')}`)
        .join('; '),
    );
  }
  if (patterns.length === 0) return explicit;

  // Fan-out: the schema admits patterns only for fan-out types.
  const matching = [...view.activeMembers]
    .filter((nodeId) => nodeId !== sender && !explicit.includes(nodeId))
    .filter((nodeId) => patterns.some((pattern) => addresses(pattern, nodeId)))
    .sort();
  const reachable = matching.filter(allowed);
  const accepting = reachable.filter((nodeId) => refusedPurposes(nodeId).length === 0);
  if (explicit.length === 0 && accepting.length === 0) {
    const named = patterns.join(', ');
    if (matching.length === 0) throw new ApiError('RECIPIENT_UNKNOWN', `no other member matches ${named}`);
    if (reachable.length === 0) {
      throw new ApiError(
        'RECIPIENT_NOT_ALLOWED',
        `the federation policy of ${sender} allows none of the members matching ${named}`,
      );
    }
    throw new ApiError(
      'PURPOSE_NOT_ACCEPTED',
      `no member matching ${named} accepts ${envelope.purposes.join(', ')}`,
    );
  }
  return [...explicit, ...accepting];
}
