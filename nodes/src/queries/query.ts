// Hit / no-hit queries and detail requests as plain functions, no I/O: the match profile a query
// describes, the band a candidate is answered with, opaque handles, who a query goes to, what a
// node's policy accepts, the answers an officer sees, and the full-tier details an approval
// releases.
import { randomBytes } from 'node:crypto';
import {
  addresses,
  type FederationConfig,
  type FullCaseDetails,
  type HitBand,
  type Purpose,
  type QueryAnswer,
  type QueryRequestBody,
  recipientMatches,
} from '@khoj/contracts';
import { toDetailSummary } from '../cases/report.ts';
import type {
  CaseRow,
  HitHandleRow,
  QueryAnswerRow,
  QueryHitRow,
  QueryRow,
  UnitRow,
} from '../db/schema/index.ts';
import type { MatchProfile } from '../matching/profile.ts';
import { consentExpired } from '../sharing/policy.ts';

/** Most hits one answer carries: the strongest first. */
export const MAX_HITS = 20;

/** Default KHOJ_HIT_HANDLE_DAYS. */
export const DEFAULT_HIT_HANDLE_DAYS = 30;

/**
 * Envelope versions under one subject: a `query.request` (subject: the query id) is the query at
 * version 1 and its withdrawal at version 2; a `detail.request` (subject: the request id) likewise.
 * Distinct versions give distinct envelope ids, and the outbox relays a subject's envelopes in
 * order, so a withdrawal never overtakes what it withdraws.
 */
export const ASK_VERSION = 1;
export const WITHDRAWAL_VERSION = 2;

/** Case statuses after which the case's hit handles die: there is nothing left to ask about. */
const CLOSED_CASE_STATUSES: ReadonlyArray<CaseRow['status']> = ['reunited', 'transferred', 'closed'];

/**
 * The child a query describes, as a match profile on the side opposite to what it looks for: a
 * query for missing reports describes a found (rescued) child, and vice versa.
 */
export function queryProfile(
  query: Pick<QueryRequestBody, 'queryId' | 'lookingFor' | 'child' | 'place' | 'eventDate'>,
): MatchProfile {
  const { child } = query;
  const names = [child.name, ...(child.aliases ?? [])].filter((name): name is string => !!name?.trim());
  return {
    id: query.queryId,
    side: query.lookingFor === 'missing' ? 'found' : 'missing',
    sex: child.sex,
    names: [...new Set(names)],
    guardianNames: [],
    age:
      'years' in child.age
        ? { min: child.age.years, max: child.age.years, estimated: false }
        : { min: child.age.estimateMin, max: child.age.estimateMax, estimated: true },
    eventDate: query.eventDate,
    place: {
      country: query.place.country,
      ...(query.place.state ? { state: query.place.state } : {}),
      ...(query.place.district ? { district: query.place.district } : {}),
    },
    languages: child.languages ?? [],
    marks: child.identifyingMarks ?? [],
    heightCm: child.heightCm,
  };
}

/** The band a candidate is answered with; below the review threshold it is no hit. */
export function hitBand(band: 'alert' | 'review' | 'low'): HitBand | undefined {
  if (band === 'alert') return 'strong';
  if (band === 'review') return 'possible';
  return undefined;
}

/** An officer of another node as the audit log names them. */
export const requester = (who: { displayName: string; userId: string; unitId: string }): string =>
  `${who.displayName} (${who.userId}, unit ${who.unitId})`;

/** When a handle given at `givenAt` stops being honoured. */
export function hitExpiry(givenAt: Date, days: number): Date {
  return new Date(givenAt.getTime() + days * 86_400_000);
}

/**
 * Why `handle` may no longer be used at `now`, or undefined while it may: its lifetime is over,
 * its case is gone or closed, or the case's consent (when it has one) has expired or no longer
 * covers the query's purpose for the asking node. Without a consent the case was never shared,
 * and a hit reveals nothing: a detail request stays for an officer to decide.
 */
export function handleDeadReason(
  handle: Pick<HitHandleRow, 'expiresAt' | 'purpose' | 'origin'>,
  caseRow: Pick<CaseRow, 'status' | 'consent'> | undefined,
  now: Date,
): string | undefined {
  if (handle.expiresAt.getTime() <= now.getTime()) return `expired at ${handle.expiresAt.toISOString()}`;
  if (!caseRow || CLOSED_CASE_STATUSES.includes(caseRow.status)) return 'its case is closed';
  const consent = caseRow.consent;
  if (
    consent &&
    (consentExpired(consent, now) ||
      !consent.purposes.includes(handle.purpose) ||
      !consent.recipients.some((pattern) => recipientMatches(pattern, handle.origin)))
  ) {
    return `its case is no longer shared for ${handle.purpose} with ${handle.origin}`;
  }
  return undefined;
}

/** A random handle (128 bits): it carries nothing of the case it stands for. */
export function newHitHandle(): string {
  return `hit_${BigInt(`0x${randomBytes(16).toString('hex')}`)
    .toString(36)
    .padStart(26, '0')}`;
}

/** Does this node's policy in the signed federation configuration accept `purpose`? */
export function policyAccepts(
  config: FederationConfig | undefined,
  nodeId: string,
  purpose: Purpose,
): boolean {
  return config?.policy.nodes[nodeId]?.acceptsPurposes.includes(purpose) ?? false;
}

/**
 * The members a query is encrypted to (and so expected to answer): the other members its targets
 * name, less those the configuration says would not get it — a member whose policy refuses the
 * purpose, or one this node's policy does not send to. The hub applies the same rules; without
 * a configuration every named member is kept and the hub decides.
 */
export function queryRecipients(
  members: Array<{ nodeId: string }>,
  targets: string[],
  purpose: Purpose,
  self: string,
  config: FederationConfig | undefined,
): string[] {
  const own = config?.policy.nodes[self];
  return members
    .map((member) => member.nodeId)
    .filter((nodeId) => nodeId !== self && targets.some((target) => addresses(target, nodeId)))
    .filter((nodeId) => {
      if (!config) return true;
      const policy = config.policy.nodes[nodeId];
      const accepted = !policy || policy.acceptsPurposes.includes(purpose);
      const allowed = !own || own.allowsRecipients.some((pattern) => recipientMatches(pattern, nodeId));
      return accepted && allowed;
    })
    .sort();
}

/** Each node the query went to, with its answer so far. */
export function queryAnswers(
  query: Pick<QueryRow, 'sentTo'>,
  answers: QueryAnswerRow[],
  hits: QueryHitRow[],
): QueryAnswer[] {
  return query.sentTo.map((nodeId) => {
    const answer = answers.find((row) => row.nodeId === nodeId);
    if (!answer) return { nodeId, outcome: 'awaiting', hits: [], answeredAt: null };
    return {
      nodeId,
      outcome: answer.outcome,
      hits: hits
        .filter((hit) => hit.nodeId === nodeId)
        .map((hit) => ({
          handle: hit.handle,
          band: hit.band,
          expiresAt: hit.expiresAt?.toISOString() ?? null,
        })),
      answeredAt: answer.answeredAt.toISOString(),
    };
  });
}

/** The case at the `full` tier: its summary with the guardians, and the owning unit to contact. */
export function fullCaseDetails(row: CaseRow, owner: UnitRow, origin: string): FullCaseDetails {
  return {
    summary: toDetailSummary(row, origin),
    contact: { unitId: owner.id, unitName: owner.name, phones: owner.phones, emails: owner.emails },
  };
}

/** When an incoming detail request escalates unless decided. */
export function detailDeadline(receivedAt: Date, hours: number): Date {
  return new Date(receivedAt.getTime() + hours * 3_600_000);
}
