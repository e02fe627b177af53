// The node's background work: the outbox relay, the inbox puller, the trust upkeep (signed
// federation configuration, certificate renewal, key reload) and the matcher.
import { type RelayDispatcher, startBullmqRelay, startInProcessRelay } from './exchange/dispatch.ts';
import { type InboxPuller, startInboxPuller } from './exchange/inbox.ts';
import type { WakeableLoop } from './jobs/wakeable-loop.ts';
import { type MatchDispatcher, startBullmqMatching, startInProcessMatching } from './matching/dispatch.ts';
import { createMatcher } from './matching/matcher.ts';
import { matchThresholds } from './matching/thresholds.ts';
import { startDetailEscalation } from './queries/escalation.ts';
import type { NodeServices } from './services.ts';
import { startConsentExpiry } from './sharing/retract.ts';
import { startTrustWorker, type TrustWorker } from './trust/trust-worker.ts';

export type NodeWorkers = {
  relay: RelayDispatcher;
  inbox: InboxPuller;
  matching: MatchDispatcher;
  trust: TrustWorker;
  /** Escalates incoming detail requests left undecided past their deadline. */
  detailEscalation: WakeableLoop;
  /** Retracts the summaries of cases whose consent has expired. */
  consentExpiry: WakeableLoop;
  stop(): Promise<void>;
};

export async function startNodeWorkers(services: NodeServices): Promise<NodeWorkers> {
  // First, so that the first envelopes are published to and checked against a fresh configuration.
  const trust = await startTrustWorker(services);

  const relay = services.config.redisUrl
    ? startBullmqRelay(services, services.config.redisUrl)
    : startInProcessRelay(services);
  services.relay = relay;
  const inbox = startInboxPuller(services);
  const matcher = createMatcher({
    db: services.db,
    thresholds: matchThresholds(services.config),
    clock: services.clock,
    log: services.log,
  });
  const matching = services.config.redisUrl
    ? startBullmqMatching(services, matcher, services.config.redisUrl)
    : startInProcessMatching(services, matcher);
  services.matching = matching;
  const detailEscalation = startDetailEscalation(services);
  const consentExpiry = startConsentExpiry(services);
  return {
    relay,
    inbox,
    matching,
    trust,
    detailEscalation,
    consentExpiry,
    async stop() {
      await Promise.all([
        relay.stop(),
        inbox.stop(),
        matching.stop(),
        trust.stop(),
        detailEscalation.stop(),
        consentExpiry.stop(),
      ]);
    },
  };
}
