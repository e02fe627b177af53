// The federation policy's part the origin can check itself, with no I/O: the same rules the hub
// applies (hub/src/exchange/policy.ts, ENVELOPE_RULES per type) — the sender's `allowsRecipients`
// must name each recipient, and each recipient's `acceptsPurposes` every purpose. The hub signs
// nothing it refuses and the origin's signature covers the whole recipient list, so one
// recipient the policy excludes would have the hub refuse the envelope for all of them: the
// origin leaves such recipients out before sealing, and the hub then refuses only when the
// policy changed while the envelope was on its way.
import {
  ENVELOPE_RULES,
  type EnvelopeType,
  type NodePolicy,
  type Purpose,
  recipientMatches,
} from '@khoj/contracts';

/** A recipient left out, with the code the hub would have refused the envelope with. */
export type ExcludedRecipient = {
  nodeId: string;
  code: 'RECIPIENT_NOT_ALLOWED' | 'PURPOSE_NOT_ACCEPTED';
  message: string;
};

/**
 * Splits `recipients` into those the policy lets `sender` address with `purposes` and those it
 * excludes. A node without a policy entry gets the hub's default (accepts every purpose, may be
 * sent to by every member): the hub fills in every active member, so this is only a fallback.
 */
export function applyRecipientPolicy<R extends { nodeId: string }>(
  policies: Readonly<Record<string, NodePolicy>>,
  sender: string,
  type: EnvelopeType,
  purposes: readonly Purpose[],
  recipients: readonly R[],
): { allowed: R[]; excluded: ExcludedRecipient[] } {
  const rules = ENVELOPE_RULES[type];
  const senderPolicy = policies[sender];
  const allowed: R[] = [];
  const excluded: ExcludedRecipient[] = [];
  for (const recipient of recipients) {
    const { nodeId } = recipient;
    if (
      rules.senderPolicy &&
      senderPolicy &&
      !senderPolicy.allowsRecipients.some((pattern) => recipientMatches(pattern, nodeId))
    ) {
      excluded.push({
        nodeId,
        code: 'RECIPIENT_NOT_ALLOWED',
        message: `the federation policy of ${sender} does not allow sending to ${nodeId}`,
      });
      continue;
    }
    const accepts = policies[nodeId]?.acceptsPurposes;
    const refused = rules.recipientPurposes && accepts ? purposes.filter((p) => !accepts.includes(p)) : [];
    if (refused.length > 0) {
      excluded.push({
        nodeId,
        code: 'PURPOSE_NOT_ACCEPTED',
        message: `${nodeId} does not accept ${refused.join(', ')}`,
      });
      continue;
    }
    allowed.push(recipient);
  }
  return { allowed, excluded };
}
