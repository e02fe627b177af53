// What nodes tell each other about a shared case after its summary: that it is withdrawn
// (`case.retraction`) and that a receiver found a candidate for it (`match.notice`). Both are the
// plaintext inside an envelope's payload, signed by their sender and encrypted to one node.
import { z } from '@hono/zod-openapi';
import { CaseId, NodeId } from './ids.ts';
import { ExplanationStep } from './matching-api.ts';

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

/**
 * `match.notice`: a receiver found a candidate among its own reports for a case the origin shared.
 * It names the origin's case and the version matched, and refers to the receiver's report only by
 * the candidate's opaque reference. The explanation carries each step's field, level and weight;
 * its texts are generic, since the engine's own texts quote both children's names and marks, and
 * the receiver's child has given the origin no consent.
 */
export const MatchNotice = z
  .object({
    /** The origin's case and the version of its summary that was matched. */
    caseId: CaseId,
    caseVersion: z.number().int().min(1),
    /** The noticing node's reference for its report (the candidate's id there). */
    reference: CrossBorderId,
    probability: z.number().min(0).max(1),
    band: z.enum(['alert', 'review']),
    explanation: z.array(ExplanationStep).max(40),
  })
  .openapi('MatchNotice');
export type MatchNotice = z.infer<typeof MatchNotice>;
