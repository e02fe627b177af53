// What this node does with each type of envelope it receives. A handler opens the envelope
// (signatures, decryption, the payload's schema and its own checks) outside any transaction, then
// applies it inside the transaction that logs the envelope as applied, so its effect happens
// exactly once however often the hub delivers it. A handler refuses what it must not apply by
// throwing EnvelopeRejected with a stable code: the inbox logs and audits the refusal and
// acknowledges the envelope, so it cannot block the inbox.
import type { Envelope, EnvelopeType } from '@khoj/contracts';
import { matchNoticeHandler } from '../cross-border/notices.ts';
import {
  detailRequestHandler,
  detailResponseHandler,
  queryHitHandler,
  queryRequestHandler,
} from '../queries/envelopes.ts';
import type { NodeServices } from '../services.ts';
import { caseRetractionHandler } from './retractions.ts';
import type { OpeningKeys } from './seal.ts';
import { afterCaseSummary, applyCaseSummary, openSharedCase } from './summaries.ts';

/** The transaction an envelope is applied in. */
export type ApplyTx = Parameters<Parameters<NodeServices['db']['transaction']>[0]>[0];

export type EnvelopeHandler<Body> = {
  open(envelope: Envelope, keys: OpeningKeys, services: NodeServices): Promise<Body>;
  apply(tx: ApplyTx, services: NodeServices, envelope: Envelope, body: Body): Promise<void>;
  /** Work to start once the effect has committed (e.g. wake the matcher); must not throw. */
  afterCommit?(services: NodeServices, envelope: Envelope, body: Body): void;
};

/** Declares a handler with its body type checked between open and apply. */
export function handler<Body>(definition: EnvelopeHandler<Body>): EnvelopeHandler<unknown> {
  return definition as EnvelopeHandler<unknown>;
}

/** Types without a handler are refused with ERR_TYPE_UNSUPPORTED. */
export const envelopeHandlers: Partial<Record<EnvelopeType, EnvelopeHandler<unknown>>> = {
  'case.summary': handler({ open: openSharedCase, apply: applyCaseSummary, afterCommit: afterCaseSummary }),
  'case.retraction': handler(caseRetractionHandler),
  'match.notice': handler(matchNoticeHandler),
  'query.request': handler(queryRequestHandler),
  'query.hit': handler(queryHitHandler),
  'detail.request': handler(detailRequestHandler),
  'detail.response': handler(detailResponseHandler),
};
