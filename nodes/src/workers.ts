// The node's background work: the outbox relay, the inbox puller, the trust upkeep (signed
// federation configuration, certificate renewal, key reload) and the matcher.
import { matchReportsAbroad } from './cross-border/local-reports.ts';
import { startDeadLetterFetch } from './exchange/dead-letters.ts';
import { type RelayDispatcher, startBullmqRelay, startInProcessRelay } from './exchange/dispatch.ts';
import { type InboxPuller, startInboxPuller } from './exchange/inbox.ts';
import type { WakeableLoop } from './jobs/wakeable-loop.ts';
import { type MatchDispatcher, startBullmqMatching, startInProcessMatching } from './matching/dispatch.ts';
import { createMatcher, type Matcher } from './matching/matcher.ts';
import { matchThresholds } from './matching/thresholds.ts';
import { startDetailEscalation } from './queries/escalation.ts';
import { startHitHandleSweep } from './queries/handles.ts';
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
  /** Forgets hit handles past their lifetime or whose case closed or stopped being shared. */
  hitHandleSweep: WakeableLoop;
  /** Retracts the summaries of cases whose consent has expired. */
  consentExpiry: WakeableLoop;
  /** Fetches the hub's signed dead-letter notices for this node's envelopes. */
  deadLetters: WakeableLoop;
  stop(): Promise<void>;
};

/** The node's matcher: its own reports against each other, and against the summaries it holds. */
export function createNodeMatcher(services: NodeServices): Matcher {
  return createMatcher({
    db: services.db,
    thresholds: matchThresholds(services.config),
    clock: services.clock,
    log: services.log,
    alsoMatch: matchReportsAbroad(services),
  });
}

export async function startNodeWorkers(services: NodeServices): Promise<NodeWorkers> {
  // First, so that the first envelopes are published to and checked against a fresh configuration.
  const trust = await startTrustWorker(services);

  const relay = services.config.redisUrl
    ? startBullmqRelay(services, services.config.redisUrl)
    : startInProcessRelay(services);
  services.relay = relay;
  const inbox = startInboxPuller(services);
  const matcher = createNodeMatcher(services);
  const matching = services.config.redisUrl
    ? startBullmqMatching(services, matcher, services.config.redisUrl)
    : startInProcessMatching(services, matcher);
  services.matching = matching;
  const detailEscalation = startDetailEscalation(services);
  const hitHandleSweep = startHitHandleSweep(services);
  const consentExpiry = startConsentExpiry(services);
  const deadLetters = startDeadLetterFetch(services, (services.config.deadLetterPollSeconds ?? 60) * 1000);
  return {
    relay,
    inbox,
    matching,
    trust,
    detailEscalation,
    hitHandleSweep,
    consentExpiry,
    deadLetters,
    async stop() {
      await Promise.all([
        relay.stop(),
        inbox.stop(),
        matching.stop(),
        trust.stop(),
        detailEscalation.stop(),
        hitHandleSweep.stop(),
        consentExpiry.stop(),
        deadLetters.stop(),
      ]);
    },
  };
}
