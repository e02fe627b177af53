// The federation as the router sees it: active members and the policies administrators set, with
// the configuration's default for the others, from the trust copy the member check of this very
// request read (trust/trust-snapshot.ts): a suspension or a policy change counts from the next
// envelope. A copy never changes once loaded (a change makes a new one), so its view is built
// once per copy, not per envelope.
import type { NodePolicy } from '@khoj/contracts';
import { defaultPolicy } from '../trust/federation-config.ts';
import type { TrustSnapshot } from '../trust/trust-snapshot.ts';
import type { PolicyView } from './policy.ts';

const views = new WeakMap<TrustSnapshot, PolicyView>();

export function policyView(trust: TrustSnapshot): PolicyView {
  let view = views.get(trust);
  if (!view) {
    view = buildView(trust);
    views.set(trust, view);
  }
  return view;
}

function buildView(trust: TrustSnapshot): PolicyView {
  const active = trust.members.filter((member) => member.status === 'active').map((member) => member.nodeId);
  const policies = new Map<string, NodePolicy>(trust.policies.map((row) => [row.nodeId, row.policy]));
  return {
    activeMembers: new Set(active),
    policyOf: (nodeId) => {
      let policy = policies.get(nodeId);
      if (!policy) {
        policy = defaultPolicy(nodeId, active);
        policies.set(nodeId, policy);
      }
      return policy;
    },
  };
}
