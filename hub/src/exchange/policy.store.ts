// The federation as the router sees it: active members and the policies administrators set, with
// the configuration's default for the others, from the trust copy the member check of this very
// request read (trust/trust-snapshot.ts): a suspension or a policy change counts from the next
// envelope.
import { defaultPolicy } from '../trust/federation-config.ts';
import type { TrustSnapshot } from '../trust/trust-snapshot.ts';
import type { PolicyView } from './policy.ts';

export function policyView(trust: TrustSnapshot): PolicyView {
  const active = trust.members.filter((member) => member.status === 'active').map((member) => member.nodeId);
  const policies = new Map(trust.policies.map((row) => [row.nodeId, row.policy]));
  return {
    activeMembers: new Set(active),
    policyOf: (nodeId) => policies.get(nodeId) ?? defaultPolicy(nodeId, active),
  };
}
