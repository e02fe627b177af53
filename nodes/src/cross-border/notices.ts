// Receiving `match.notice` at the origin: another node found a candidate among its reports for a
// case this node shared with it. Accepted only for a case of this node whose summary the sender
// holds (addressed by a case.summary and not retracted since, per the outbox history): a node
// cannot learn about cases it was never sent, nor keep proposing after a retraction. The notice
// becomes a `notified` cross-border candidate on the case, with its explanation, for officers.
// The workflow's later events (confirmed, rejected, withdrawn, progress) go either way and are
// applied by workflow.ts to the candidate they name.
import { type Envelope, MatchNotice, type MatchProposal } from '@khoj/contracts';
import { appendAudit } from '../audit/audit.store.ts';
import { findCase } from '../cases/reports.store.ts';
import type { ApplyTx, EnvelopeHandler } from '../exchange/handlers.ts';
import { EnvelopeRejected, type OpeningKeys, openEnvelope } from '../exchange/seal.ts';
import type { NodeServices } from '../services.ts';
import { summaryHolders } from '../sharing/retract.ts';
import { proposePair } from './cross-border.store.ts';
import { applyMatchEvent } from './workflow.ts';

/** The notice, and the local cases its effect moved to `matched` (filled by apply, for afterCommit). */
type ReceivedNotice = { notice: MatchNotice; matched: string[] };

export const matchNoticeHandler: EnvelopeHandler<ReceivedNotice> = {
  async open(envelope: Envelope, keys: OpeningKeys): Promise<ReceivedNotice> {
    return { notice: await openEnvelope(envelope, keys, MatchNotice), matched: [] };
  },

  async apply(tx: ApplyTx, services: NodeServices, envelope: Envelope, received: ReceivedNotice) {
    const { notice } = received;
    if (notice.event === 'proposed') await applyProposal(tx, services, envelope, notice);
    else received.matched.push(...(await applyMatchEvent(tx, services, envelope, notice)));
  },

  afterCommit(services: NodeServices, _envelope: Envelope, { matched }: ReceivedNotice) {
    // A case matched across the border leaves the local pool: the matcher withdraws its proposals.
    if (matched.length > 0) services.matching.notify(matched);
  },
};

async function applyProposal(
  tx: ApplyTx,
  services: NodeServices,
  envelope: Envelope,
  notice: MatchProposal,
): Promise<void> {
  const row = await findCase(tx, notice.caseId);
  if (!row) throw new EnvelopeRejected('ERR_SUBJECT_UNKNOWN', `no case ${notice.caseId} at this node`);
  const { holders } = await summaryHolders(tx, notice.caseId);
  if (!holders.includes(envelope.origin))
    throw new EnvelopeRejected(
      'ERR_NOT_AUTHORISED',
      `${envelope.origin} holds no summary of ${notice.caseId} (never sent, or retracted)`,
    );
  const now = services.clock();
  const candidate = await proposePair(
    tx,
    {
      role: 'notified',
      localCaseId: notice.caseId,
      foreignOrigin: envelope.origin,
      foreignReference: notice.reference,
      foreignVersion: notice.caseVersion,
      probability: notice.probability,
      band: notice.band,
      explanation: notice.explanation,
    },
    now,
  );
  await appendAudit(tx, {
    actorId: `node:${envelope.origin}`,
    action: 'match.notice.received',
    recordType: 'case',
    recordId: notice.caseId,
    reason: `${candidate.id}: ${envelope.origin} reference ${notice.reference}, v${notice.caseVersion}, p=${notice.probability.toFixed(3)}`,
    at: now,
  });
}
