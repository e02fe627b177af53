// Hit / no-hit queries and detail requests: the bodies of the `query.request`, `query.hit`,
// `detail.request` and `detail.response` envelopes. Like a case summary they are plaintext only
// inside an envelope's payload (signed by the origin, encrypted to the recipients); the hub never
// reads them. A `query.hit` carries no personal data: only opaque handles and score bands.
import { z } from '@hono/zod-openapi';
import { CaseKind, CaseSummary, Place } from './case-summary.ts';
import { ChildRecord } from './cases-api.ts';
import { LegalBasis, Purpose } from './consent.ts';
import { CrossBorderId } from './cross-border.ts';
import { CaseId } from './ids.ts';
import { calendarDate, trimmedText } from './openapi-parts.ts';

export const QueryId = z
  .string()
  .regex(/^query_[0-9a-z]{20,40}$/)
  .openapi({ example: 'query_01jq3v7w8x9y0z1a2b3c4d5e6f' });

export const DetailRequestId = z
  .string()
  .regex(/^dreq_[0-9a-z]{20,40}$/)
  .openapi({ example: 'dreq_01jq3v7w8x9y0z1a2b3c4d5e6f' });

/**
 * An opaque handle for one matching case at the answering node: random, meaningful only to that
 * node (which maps it to the case), so it says nothing about the child or the case id.
 */
export const HitHandle = z
  .string()
  .regex(/^hit_[0-9a-z]{26}$/)
  .openapi({ example: 'hit_0123456789abcdefghijklmnop' });

/** `strong`: at or above the answering node's alert threshold; `possible`: at or above review. */
export const HitBand = z.enum(['strong', 'possible']).openapi('HitBand');
export type HitBand = z.infer<typeof HitBand>;

/**
 * The child a query describes: the description fields of a report up to the `standard` tier
 * (names, languages, marks), never guardians or contacts, which only a detail request reaches.
 */
export const QueryChild = ChildRecord.pick({
  name: true,
  aliases: true,
  sex: true,
  age: true,
  heightCm: true,
  identifyingMarks: true,
  languages: true,
})
  .strict()
  .openapi('QueryChild');
export type QueryChild = z.infer<typeof QueryChild>;

/** Who asked: the officer and unit at the asking node, for the answering node's audit. */
export const Requester = z
  .object({
    userId: z.string().min(1).max(100),
    displayName: z.string().min(1).max(200),
    unitId: z.string().min(1).max(100),
  })
  .openapi('Requester');
export type Requester = z.infer<typeof Requester>;

/** The description asked about, what it is compared with, and why. */
export const QueryFields = z.object({
  /** The kind of report sought at other nodes: `missing` for a rescued child, `found` for a missing one. */
  lookingFor: CaseKind,
  child: QueryChild,
  place: Place,
  /** Last seen (a missing child) or found (a rescued child), YYYY-MM-DD. */
  eventDate: calendarDate(),
  purpose: Purpose,
  legalBasis: LegalBasis,
  /** The asking unit's case reference: FIR, GD or AHTU case number. */
  caseReference: trimmedText(100),
});

/** The body of a `query.request` envelope. */
export const QueryRequestBody = QueryFields.extend({
  queryId: QueryId,
  askedBy: Requester,
  askedAt: z.iso.datetime({ offset: true }),
}).openapi('QueryRequestBody');
export type QueryRequestBody = z.infer<typeof QueryRequestBody>;

/** The body of a `query.request` envelope that withdraws the query (the envelope's version 2). */
export const QueryWithdrawalBody = z
  .object({
    action: z.literal('withdraw'),
    queryId: QueryId,
    withdrawnBy: Requester,
    withdrawnAt: z.iso.datetime({ offset: true }),
    reason: trimmedText(1000),
  })
  .openapi('QueryWithdrawalBody');
export type QueryWithdrawalBody = z.infer<typeof QueryWithdrawalBody>;

/** What a `query.request` envelope carries: a query (version 1) or its withdrawal (version 2). */
export const QueryRequestEnvelopeBody = z.union([QueryWithdrawalBody, QueryRequestBody]);
export type QueryRequestEnvelopeBody = z.infer<typeof QueryRequestEnvelopeBody>;

export const QueryHitItem = z
  .object({
    handle: HitHandle,
    band: HitBand,
    /** After this the answering node refuses a detail request for the handle and forgets it. */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .openapi('QueryHitItem');
export type QueryHitItem = z.infer<typeof QueryHitItem>;

/** The body of a `query.hit` envelope: hit with handles and bands, or no hit. Never personal data. */
export const QueryHitBody = z
  .discriminatedUnion('outcome', [
    z.object({ queryId: QueryId, outcome: z.literal('hit'), hits: z.array(QueryHitItem).min(1).max(20) }),
    z.object({ queryId: QueryId, outcome: z.literal('no_hit') }),
  ])
  .openapi('QueryHitBody');
export type QueryHitBody = z.infer<typeof QueryHitBody>;

const DetailRequestFields = {
  requestId: DetailRequestId,
  reason: trimmedText(1000),
  legalBasis: LegalBasis,
  purpose: Purpose,
  caseReference: trimmedText(100),
  requestedBy: Requester,
  requestedAt: z.iso.datetime({ offset: true }),
};

/**
 * The body of a `detail.request` envelope, to the node that owns the case asked about: a hit of
 * one of the requester's queries (`query_hit`: the query and its handle), or the other side of a
 * cross-border match (`cross_border`: the match's pair, the origin's case id and the noticing
 * node's reference, which each side knows; the owning node finds its own case from it).
 */
export const DetailRequestBody = z
  .discriminatedUnion('about', [
    z.object({ about: z.literal('query_hit'), queryId: QueryId, handle: HitHandle, ...DetailRequestFields }),
    z.object({
      about: z.literal('cross_border'),
      caseId: CaseId,
      reference: CrossBorderId,
      ...DetailRequestFields,
    }),
  ])
  .openapi('DetailRequestBody');
export type DetailRequestBody = z.infer<typeof DetailRequestBody>;

/**
 * The body of a `detail.request` envelope that withdraws a pending request (the envelope's
 * version 2): the owning node marks it withdrawn, and it can no longer be decided or escalate.
 */
export const DetailWithdrawalBody = z
  .object({
    action: z.literal('withdraw'),
    requestId: DetailRequestId,
    withdrawnBy: Requester,
    withdrawnAt: z.iso.datetime({ offset: true }),
    reason: trimmedText(1000),
  })
  .openapi('DetailWithdrawalBody');
export type DetailWithdrawalBody = z.infer<typeof DetailWithdrawalBody>;

/** What a `detail.request` envelope carries: a request (version 1) or its withdrawal (version 2). */
export const DetailRequestEnvelopeBody = z.union([DetailWithdrawalBody, DetailRequestBody]);
export type DetailRequestEnvelopeBody = z.infer<typeof DetailRequestEnvelopeBody>;

/** Who to speak to at the owning node about the case. */
export const CaseContact = z
  .object({
    unitId: z.string(),
    unitName: z.string(),
    phones: z.array(z.string()).max(10),
    emails: z.array(z.string()).max(10),
  })
  .openapi('CaseContact');

/**
 * The case at the `full` tier, released only on an approved detail request: the summary with the
 * guardians and their phones (CaseSummary's `full`-tier field), and the owning unit to contact.
 */
export const FullCaseDetails = z
  .object({
    summary: CaseSummary,
    contact: CaseContact,
  })
  .openapi('FullCaseDetails');
export type FullCaseDetails = z.infer<typeof FullCaseDetails>;

/** The body of a `detail.response` envelope, encrypted to the requesting node only. */
export const DetailResponseBody = z
  .discriminatedUnion('decision', [
    z.object({
      requestId: DetailRequestId,
      decision: z.literal('approved'),
      details: FullCaseDetails,
      decidedAt: z.iso.datetime({ offset: true }),
    }),
    z.object({
      requestId: DetailRequestId,
      decision: z.literal('denied'),
      reason: trimmedText(1000),
      decidedAt: z.iso.datetime({ offset: true }),
    }),
    // Refused by the owning node without an officer's decision: the handle had expired or was
    // unknown there (the request envelope itself was rejected with the same code).
    z.object({
      requestId: DetailRequestId,
      decision: z.literal('refused'),
      code: z.string().regex(/^ERR_[A-Z_]{2,60}$/),
      reason: trimmedText(1000),
      decidedAt: z.iso.datetime({ offset: true }),
    }),
  ])
  .openapi('DetailResponseBody');
export type DetailResponseBody = z.infer<typeof DetailResponseBody>;
