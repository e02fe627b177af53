// Recording a cross-border candidate this node found — a local report and a summary held from
// another node scoring at or above the review threshold — and telling the origin with a
// `match.notice`, in the caller's transaction. One function for both ways a pair is found: a
// summary arriving (match-summary.ts) and a local report registered or changed after the summary
// was held (local-reports.ts).
//
// What the notice tells the origin: its own case id and version, the probability and band, and
// the explanation's field, level and weight for each step — but not the steps' texts, which
// quote the local child's names and marks (the local child's family consented to nothing towards
// the origin), and not the local case id: the candidate's id is the origin's opaque handle.
import type { Envelope, ExplanationStep, MatchNotice, Purpose } from '@khoj/contracts';
import { currentTraceparent } from '@khoj/platform';
import { appendAudit } from '../audit/audit.store.ts';
import type { ApplyTx } from '../exchange/handlers.ts';
import { enqueueEnvelope } from '../exchange/outbox.store.ts';
import { type Recipient, sealEnvelope } from '../exchange/seal.ts';
import type { ProbeCandidate } from '../matching/probe.ts';
import type { NodeServices } from '../services.ts';
import { proposePair, setNotice } from './cross-border.store.ts';

/** The held summary a candidate was found for, as far as the notice needs it. */
export type HeldSummaryRef = {
  origin: string;
  caseId: string;
  version: number;
  /** The summary's consent scope: the notice travels under the same purposes and expiry. */
  purposes: Purpose[];
  expiresAt: Date;
};

/**
 * Proposes (or refreshes) the pair, audits it and queues the notice to the origin (`to`: undefined
 * when the origin has left the federation: the candidate stays here, nobody can be told).
 * Returns the notice queued, for the relay to be woken after commit.
 */
export async function proposeFoundHere(
  tx: ApplyTx,
  services: NodeServices,
  summary: HeldSummaryRef,
  candidate: ProbeCandidate,
  to: Recipient | undefined,
  now: Date,
): Promise<Envelope | undefined> {
  const { origin, caseId, version } = summary;
  const row = await proposePair(
    tx,
    {
      role: 'found_here',
      localCaseId: candidate.caseId,
      foreignOrigin: origin,
      foreignReference: caseId,
      foreignVersion: version,
      probability: candidate.probability,
      band: candidate.band === 'alert' ? 'alert' : 'review',
      explanation: candidate.explanation,
    },
    now,
  );
  // Left as it was (confirmed, or closed at this summary version): nothing new to record or tell.
  if (row.status !== 'proposed') return undefined;
  await appendAudit(tx, {
    actorId: 'system:cross-border-matching',
    action: 'match.cross_border.proposed',
    recordType: 'case',
    recordId: candidate.caseId,
    reason: `${row.id}: ${origin}/${caseId} v${version}, p=${candidate.probability.toFixed(3)}`,
    at: now,
  });
  if (!to) return undefined;
  const notice: MatchNotice = {
    event: 'proposed',
    caseId,
    caseVersion: version,
    reference: row.id,
    probability: candidate.probability,
    band: row.band,
    explanation: explanationForOrigin(candidate.explanation as ExplanationStep[]),
  };
  const envelope = await sealEnvelope({
    type: 'match.notice',
    origin: services.identity.nodeId,
    // One notice per candidate and summary version: a retry of the same gets the same id.
    subject: row.id,
    version,
    body: notice,
    recipients: [to],
    purposes: summary.purposes,
    expiresAt: summary.expiresAt,
    signingKey: services.keys.signing,
    now,
  });
  await enqueueEnvelope(tx, envelope, row.id, currentTraceparent());
  await setNotice(tx, row.id, envelope.id);
  return envelope;
}

/** The explanation as the origin may see it: field, level and weight, no quoted texts. */
export function explanationForOrigin(steps: readonly ExplanationStep[]): ExplanationStep[] {
  return steps.map((step) => {
    const weight = `${step.weight >= 0 ? '+' : ''}${step.weight.toFixed(1)}`;
    return {
      field: step.field,
      level: step.level,
      weight: step.weight,
      detail: step.level,
      text: `${step.field}: ${step.level}, ${weight}`,
    };
  });
}
