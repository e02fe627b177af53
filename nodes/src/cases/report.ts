// Reports as the node stores, shows and publishes them — plain functions, no I/O.
import type { CaseSummary, ChildRecord, ConsentScope, Report, ReportInput } from '@khoj/contracts';
import type { CaseScope } from '../access/permissions.ts';
import type { CaseRow } from '../db/schema/index.ts';

type ConsentInput = ReportInput['consent'];

/** The consent as given by the officer, stamped with the time it was granted. */
export function grantConsent(input: ConsentInput, now: Date): ConsentScope | null {
  return input ? { ...input, grantedAt: now.toISOString() } : null;
}

/**
 * Lower-cased words of the child's names and aliases, and the FIR/GD numbers: what a list can be
 * searched by (an exact word, in any script).
 */
export function searchTermsFor(child: ChildRecord, missing: CaseRow['missing']): string[] {
  const names = [child.name, ...(child.aliases ?? [])].filter((name): name is string => !!name);
  const words = names.flatMap((name) => name.toLocaleLowerCase().split(/[\s.,/()-]+/u));
  const references = [missing?.firNumber, missing?.gdNumber].filter((ref): ref is string => !!ref);
  return [...new Set([...words, ...references.map((ref) => ref.toLocaleLowerCase())])].filter(
    (term) => term.length > 0,
  );
}

export function caseScope(
  row: Pick<CaseRow, 'kind' | 'ownerUnitId' | 'placementUnitId' | 'country' | 'state' | 'district'>,
): CaseScope {
  return {
    kind: row.kind,
    ownerUnitId: row.ownerUnitId,
    placementUnitId: row.placementUnitId,
    place: { country: row.country, state: row.state, district: row.district },
  };
}

export function toReport(row: CaseRow): Report {
  return {
    caseId: row.id,
    kind: row.kind,
    status: row.status,
    closedReason: row.closedReason,
    version: row.version,
    ownerUnitId: row.ownerUnitId,
    verification: row.verification,
    child: row.child,
    place: row.place,
    eventDate: row.eventDate,
    ...(row.missing ? { missing: row.missing } : {}),
    ...(row.found ? { found: row.found } : {}),
    publicNotice: row.publicNotice,
    consent: row.consent ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * What crosses to other nodes, before minimisation to the consent's tier (sharing/minimise.ts):
 * the child's description, place and date — never guardians (see toDetailSummary).
 */
export function toSummary(row: CaseRow, origin: string): CaseSummary {
  const { name, aliases, sex, age, languages, identifyingMarks, heightCm } = row.child;
  return {
    caseId: row.id,
    origin,
    kind: row.kind,
    version: row.version,
    child: {
      sex,
      age,
      ...(name ? { name } : {}),
      ...(aliases ? { aliases } : {}),
      ...(languages ? { languages } : {}),
      ...(identifyingMarks?.length ? { identifyingMarks } : {}),
      ...(heightCm !== undefined ? { heightCm } : {}),
    },
    place: row.place,
    eventDate: row.eventDate,
  };
}

/** The `full` tier, for a detail response only: the summary and the guardians with their contacts. */
export function toDetailSummary(row: CaseRow, origin: string): CaseSummary {
  const guardians = row.missing?.guardians ?? [];
  return { ...toSummary(row, origin), ...(guardians.length > 0 ? { guardians } : {}) };
}

/** The largest version a case can have: the column is a 32-bit integer. */
const MAX_VERSION = 2 ** 31 - 1;

/**
 * `If-Match: "3"` (or W/"3") → 3; undefined when it names no version a case can have (past the
 * column's range PostgreSQL failed the comparison itself: a 500 for `"5511686492"`).
 */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  const match = header?.match(/^(?:W\/)?"(\d+)"$/);
  const version = match?.[1] ? Number(match[1]) : undefined;
  return version !== undefined && version <= MAX_VERSION ? version : undefined;
}
