// A citizen's report as the case it becomes: pending verification, owned by the police unit
// that will verify it, never shared (no consent) and never a public notice until an officer
// decides so. The reporter's contact stays out of the case (see intake_submissions). Plain
// functions, no I/O.
import type { PublicMissingReport, PublicSighting } from '@khoj/contracts';
import { searchTermsFor } from '../cases/report.ts';
import type { NewCaseRow, NewIntakeSubmission } from './intake.store.ts';

type Place = PublicMissingReport['place'];
type Common = { caseId: string; ownerUnitId: string; reference: string; now: Date };

function caseBase(place: Place, { caseId, ownerUnitId, now }: Common) {
  return {
    id: caseId,
    ownerUnitId,
    placementUnitId: null,
    verification: 'pending' as const,
    // The exact GPS position stays with the submission: the case carries the place as named.
    place: {
      country: place.country,
      district: place.district,
      ...(place.state ? { state: place.state } : {}),
      ...(place.description ? { description: place.description } : {}),
    },
    country: place.country,
    state: place.state ?? null,
    district: place.district,
    publicNotice: false,
    consent: null,
    createdBy: 'citizen',
    createdAt: now,
    updatedAt: now,
  };
}

export function missingReportCase(input: PublicMissingReport, common: Common): NewCaseRow {
  const missing = { guardians: [], ...(input.description ? { circumstances: input.description } : {}) };
  return {
    ...caseBase(input.place, common),
    kind: 'missing',
    child: input.child,
    searchTerms: searchTermsFor(input.child, missing),
    eventDate: input.lastSeenOn,
    missing,
    found: null,
  };
}

/** A child seen by a citizen is a `found` report by a citizen, to be checked on the ground. */
export function sightingCase(input: PublicSighting, common: Common): NewCaseRow {
  return {
    ...caseBase(input.place, common),
    kind: 'found',
    child: input.child,
    searchTerms: searchTermsFor(input.child, null),
    eventDate: input.seenOn,
    missing: null,
    found: {
      foundBy: 'citizen',
      rescuedFromTrafficking: false,
      ...(input.description ? { circumstances: input.description } : {}),
    },
  };
}

export function submissionRow(
  source: NewIntakeSubmission['source'],
  input: PublicMissingReport | PublicSighting,
  { caseId, reference, now }: Common,
): NewIntakeSubmission {
  return {
    caseId,
    reference,
    source,
    reporterName: input.reporter.name,
    reporterPhone: input.reporter.phone,
    reporterRelation: 'relation' in input.reporter ? (input.reporter.relation ?? null) : null,
    description: input.description ?? null,
    lat: input.place.location?.lat ?? null,
    lon: input.place.location?.lon ?? null,
    submittedAt: now,
  };
}

/**
 * A date a citizen gives must not lie in the future. One day of slack: the reporter's calendar
 * may already be tomorrow's (Nepal and India are ahead of UTC).
 */
export function isPlausibleEventDate(date: string, now: Date): boolean {
  const tomorrow = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
  return date <= tomorrow;
}
