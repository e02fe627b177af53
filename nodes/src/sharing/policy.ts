// The sharing policy's rules, with no I/O: which kind of case a report is, and whether a consent
// stays within the policy for that kind. An officer may narrow the policy for a case (fewer
// purposes, fewer recipients, a lower tier, an earlier expiry) but never widen it. The legal basis
// is the officer's statement of why sharing is lawful for this child and is not compared: the
// policy's legal basis is the default offered, not a ceiling.
import {
  type ConsentScope,
  type FieldsTier,
  recipientMatches,
  type SharingCategory,
  type SharingRule,
} from '@khoj/contracts';
import type { CaseRow } from '../db/schema/index.ts';

const MS_PER_DAY = 86_400_000;

/** Tiers from least to most revealing. */
export const TIER_ORDER: readonly FieldsTier[] = ['minimal', 'standard', 'full'];

export function tierRank(tier: FieldsTier): number {
  return TIER_ORDER.indexOf(tier);
}

/** The stricter kind wins: a rescued child in care is governed as rescued from trafficking. */
export function categoryOf(row: {
  kind: CaseRow['kind'];
  found?: CaseRow['found'] | undefined;
  placementUnitId?: string | null | undefined;
}): SharingCategory {
  if (row.kind === 'missing') return 'missing';
  if (row.found?.rescuedFromTrafficking) return 'rescued_from_trafficking';
  if (row.placementUnitId || row.found?.placementUnitId) return 'in_care';
  return 'found';
}

/** Is every node `requested` names also named by one of `allowed` (a pattern by an equal or wider one)? */
export function recipientAllowed(requested: string, allowed: readonly string[]): boolean {
  return allowed.some((pattern) => recipientMatches(pattern, requested));
}

/**
 * What in `consent` goes beyond `rule`, one phrase per excess ("purpose anti_trafficking",
 * "recipient LK", …); empty when the consent is within the policy. `grantedAt` is when the
 * lifetime is counted from.
 */
export function consentExcess(rule: SharingRule, consent: ConsentScope, grantedAt: Date): string[] {
  const excess: string[] = [];
  for (const purpose of consent.purposes) {
    if (!rule.purposes.includes(purpose))
      excess.push(`purpose ${purpose} (policy: ${rule.purposes.join(', ')})`);
  }
  for (const recipient of consent.recipients) {
    if (!recipientAllowed(recipient, rule.recipients))
      excess.push(`recipient ${recipient} (policy: ${rule.recipients.join(', ')})`);
  }
  if (tierRank(consent.fields) > tierRank(rule.fields))
    excess.push(`fields ${consent.fields} (policy: ${rule.fields})`);
  const latest = grantedAt.getTime() + rule.lifetimeDays * MS_PER_DAY;
  if (Date.parse(consent.expiresAt) > latest)
    excess.push(
      `expiresAt ${consent.expiresAt} (policy: at most ${rule.lifetimeDays} days, until ${new Date(latest).toISOString()})`,
    );
  return excess;
}

/** Has the scope run out at `now`? */
export function consentExpired(consent: Pick<ConsentScope, 'expiresAt'>, now: Date): boolean {
  return Date.parse(consent.expiresAt) <= now.getTime();
}
