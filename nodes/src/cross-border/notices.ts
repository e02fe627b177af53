// Receiving `match.notice` at the origin: another node found a candidate among its reports for a
// case this node shared with it. Accepted only for a case of this node whose summary the sender
// holds (addressed by a case.summary and not retracted since, per the outbox history): a node
// cannot learn about cases it was never sent, nor keep proposing after a retraction. The notice
// becomes a `notified` cross-border candidate on the case, with its explanation, for officers.
import { type Envelope, MatchNotice } from '@khoj/contracts';
import { appendAudit } from '../audit/audit.store.ts';
import { findCase } from '../cases/reports.store.ts';
import type { ApplyTx, EnvelopeHandler } from '../exchange/handlers.ts';
import { EnvelopeRejected, type OpeningKeys, openEnvelope } from '../exchange/seal.ts';
import type { NodeServices } from '../services.ts';
import { summaryHolders } from '../sharing/retract.ts';
import { proposePair } from './cross-border.store.ts';

export const matchNoticeHandler: EnvelopeHandler<MatchNotice> = {
  open(envelope: Envelope, keys: OpeningKeys): Promise<MatchNotice> {
    return openEnvelope(envelope, keys, MatchNotice);
  },

  async apply(tx: ApplyTx, services: NodeServices, envelope: Envelope, notice: MatchNotice): Promise<void> {
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
  },
};
