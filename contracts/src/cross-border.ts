// What nodes tell each other about a shared case after its summary: that it is withdrawn
// (`case.retraction`) and that a receiver found a candidate for it (`match.notice`). Both are the
// plaintext inside an envelope's payload, signed by their sender and encrypted to one node.
import { z } from '@hono/zod-openapi';
import { CaseId, NodeId } from './ids.ts';
import { ExplanationStep } from './matching-api.ts';
import { calendarDate } from './openapi-parts.ts';

export const RETRACTION_REASONS = ['reunited', 'closed', 'consent_withdrawn', 'scope_expired'] as const;
export const RetractionReason = z.enum(RETRACTION_REASONS).openapi('RetractionReason');
export type RetractionReason = z.infer<typeof RetractionReason>;

/**
 * `case.retraction`: the origin withdraws every summary of a case up to `version`. Recipients
 * delete their copy, keep a tombstone (a summary of that version or older arriving later is
 * ignored) and close the cross-border candidates they hold for it.
 */
export const CaseRetraction = z
  .object({
    caseId: CaseId,
    origin: NodeId,
    /** The case's version when it was retracted: summaries up to it are withdrawn. */
    version: z.number().int().min(1),
    reason: RetractionReason,
    retractedAt: z.iso.datetime({ offset: true }),
  })
  .openapi('CaseRetraction');
export type CaseRetraction = z.infer<typeof CaseRetraction>;

/** A cross-border candidate reference: opaque, meaningful only to the node that made it. */
export const CrossBorderId = z
  .string()
  .regex(/^xmatch_[0-9a-z]{20,40}$/)
  .openapi({ example: 'xmatch_01jq3v7w8x9y0z1a2b3c4d5e6f' });

/** The steps of a repatriation across a border, recorded on a confirmed cross-border match. */
export const REPATRIATION_STEPS = [
  'repatriation_requested',
  'travel_documents_issued',
  'escorted',
  'handed_over',
] as const;
export const RepatriationStep = z.enum(REPATRIATION_STEPS).openapi('RepatriationStep');
export type RepatriationStep = z.infer<typeof RepatriationStep>;

/**
 * The two nodes' common name for one cross-border match: the origin's case id (the case whose
 * summary was matched) and the noticing node's candidate id (the notice's `reference`). Both
 * sides know both; neither reveals the noticing node's case id.
 */
const MatchPair = {
  /** The origin's case (the one whose summary was shared and matched). */
  caseId: CaseId,
  /** The noticing node's reference for the match (its candidate's id). */
  reference: CrossBorderId,
};

/**
 * `match.notice`: what one side of a cross-border match tells the other. `proposed` (the receiver
 * of a summary found a candidate among its own reports) names the origin's case and the version
 * matched, and refers to the receiver's report only by the candidate's opaque reference; its
 * explanation carries each step's field, level and weight, with generic texts, since the engine's
 * own texts quote both children's names and marks and the receiver's child has given the origin
 * no consent. The later events go either way, about the same pair: `confirmed` / `rejected` (an
 * officer's decision on their side; a rejection closes both), `withdrawn` (the noticing node no
 * longer proposes it: a newer summary no longer reaches its review threshold) and `progress` (a
 * repatriation step recorded on a match both sides confirmed).
 */
export const MatchNotice = z
  .discriminatedUnion('event', [
    z.object({
      event: z.literal('proposed'),
      ...MatchPair,
      /** The version of the origin's summary that was matched. */
      caseVersion: z.number().int().min(1),
      probability: z.number().min(0).max(1),
      band: z.enum(['alert', 'review']),
      explanation: z.array(ExplanationStep).max(40),
    }),
    z.object({
      event: z.literal('confirmed'),
      ...MatchPair,
      note: z.string().max(500).optional(),
      at: z.iso.datetime({ offset: true }),
    }),
    z.object({
      event: z.literal('rejected'),
      ...MatchPair,
      reason: z.string().min(1).max(500),
      at: z.iso.datetime({ offset: true }),
    }),
    z.object({
      event: z.literal('withdrawn'),
      ...MatchPair,
      reason: z.string().min(1).max(500),
      at: z.iso.datetime({ offset: true }),
    }),
    z.object({
      event: z.literal('progress'),
      ...MatchPair,
      step: RepatriationStep,
      /** When the step happened, YYYY-MM-DD. */
      date: calendarDate(),
      note: z.string().min(1).max(4000),
      at: z.iso.datetime({ offset: true }),
    }),
  ])
  .openapi('MatchNotice');
export type MatchNotice = z.infer<typeof MatchNotice>;
export type MatchProposal = Extract<MatchNotice, { event: 'proposed' }>;
export type MatchNoticeEvent = MatchNotice['event'];
