// A report as the node stores it, and the summary it publishes — plain functions, no I/O.
import type { CaseSummary, ConsentScope, Report, ReportInput } from '@khoj/contracts';
import type { CaseRow } from '../db/schema/index.ts';

/** The consent as given by the officer, stamped with the time it was granted. */
export function grantConsent(input: ReportInput['consent'], now: Date): ConsentScope | null {
  return input ? { ...input, grantedAt: now.toISOString() } : null;
}

export function toReport(row: CaseRow): Report {
  return {
    caseId: row.id,
    kind: row.kind,
    version: row.version,
    child: row.child,
    place: row.place,
    eventDate: row.eventDate,
    consent: row.consent ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toSummary(row: CaseRow, origin: string): CaseSummary {
  return {
    caseId: row.id,
    origin,
    kind: row.kind,
    version: row.version,
    child: row.child,
    place: row.place,
    eventDate: row.eventDate,
  };
}
