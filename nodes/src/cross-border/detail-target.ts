// What a `detail.request` about a cross-border match asks this node for: its own side of the match
// the requesting node names by the pair. Only a party to an open match may ask: the pair must name
// a candidate of this node linking the requester and that case (else ERR_SUBJECT_UNKNOWN or
// ERR_NOT_AUTHORISED), and one rejected, withdrawn or retracted is refused (ERR_CANDIDATE_CLOSED).
import type { ApplyTx } from '../exchange/handlers.ts';
import { EnvelopeRejected } from '../exchange/seal.ts';
import { candidateForPeer, type MatchPair } from './cross-border.store.ts';

export async function crossBorderDetailTarget(
  tx: ApplyTx,
  peer: string,
  pair: MatchPair,
): Promise<{ caseId: string; candidateId: string }> {
  const row = await candidateForPeer(tx, peer, pair);
  if (row.status === 'closed')
    throw new EnvelopeRejected(
      'ERR_CANDIDATE_CLOSED',
      `cross-border match ${row.id} is closed (${row.closedReason ?? 'no reason'})`,
    );
  return { caseId: row.localCaseId, candidateId: row.id };
}
