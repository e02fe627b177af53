// Between interchange records and cases — plain functions, no I/O. An imported report is owned
// by the importing unit, verified (it comes from an official register), not shared with other
// nodes (no consent in the file) and keeps the file's `id` as its external reference.
import type { ChildRecord } from '@khoj/contracts';
import { newId } from '@khoj/platform';
import { searchTermsFor } from '../cases/report.ts';
import type { CaseRow, NewCaseRow } from '../db/schema/index.ts';
import type { InterchangeRecord } from './record.ts';

export function caseFromRecord(
  record: InterchangeRecord,
  ownerUnitId: string,
  importedBy: string,
): NewCaseRow {
  const age: ChildRecord['age'] =
    'ageYears' in record && record.ageYears !== undefined
      ? { years: record.ageYears }
      : { estimateMin: record.ageEstimateMin as number, estimateMax: record.ageEstimateMax as number };
  const child: ChildRecord = {
    sex: record.sex,
    age,
    ...(record.name ? { name: record.name } : {}),
    ...(record.aliases ? { aliases: record.aliases } : {}),
    ...(record.heightCm !== undefined ? { heightCm: record.heightCm } : {}),
    ...(record.languages ? { languages: record.languages } : {}),
    ...(record.identifyingMarks ? { identifyingMarks: record.identifyingMarks } : {}),
  };
  const notes = record.notes ? { circumstances: record.notes.slice(0, 2000) } : {};
  const missing =
    record.kind === 'missing'
      ? {
          ...notes,
          guardians: record.guardianName
            ? [{ name: record.guardianName, relation: 'guardian', phones: [] }]
            : [],
        }
      : null;
  const reportedAt = new Date(record.reportedAt);
  return {
    id: newId('case'),
    kind: record.kind,
    ownerUnitId,
    child,
    place: {
      country: record.country,
      ...(record.state ? { state: record.state } : {}),
      ...(record.district ? { district: record.district } : {}),
    },
    country: record.country,
    state: record.state ?? null,
    district: record.district ?? null,
    searchTerms: searchTermsFor(child, missing),
    eventDate: record.eventDate,
    missing,
    found: record.kind === 'found' ? { foundBy: 'police', rescuedFromTrafficking: false, ...notes } : null,
    externalRef: record.id,
    createdBy: importedBy,
    createdAt: Number.isNaN(reportedAt.getTime()) ? new Date() : reportedAt,
  };
}

/** A case as an interchange record: what `khoj export` writes. */
export function recordFromCase(row: CaseRow): InterchangeRecord {
  const { child } = row;
  const guardian = row.missing?.guardians[0]?.name;
  const notes = row.missing?.circumstances ?? row.found?.circumstances;
  const age =
    'years' in child.age
      ? { ageYears: child.age.years }
      : { ageEstimateMin: child.age.estimateMin, ageEstimateMax: child.age.estimateMax };
  return {
    id: row.externalRef ?? row.id,
    kind: row.kind,
    country: row.country,
    ...(row.state ? { state: row.state } : {}),
    ...(row.district ? { district: row.district } : {}),
    reportedAt: row.createdAt.toISOString(),
    eventDate: row.eventDate,
    ...(child.name ? { name: child.name } : {}),
    ...(child.aliases?.length ? { aliases: child.aliases } : {}),
    sex: child.sex,
    ...age,
    ...(child.heightCm !== undefined ? { heightCm: child.heightCm } : {}),
    ...(child.languages?.length ? { languages: child.languages } : {}),
    ...(guardian ? { guardianName: guardian } : {}),
    ...(child.identifyingMarks?.length ? { identifyingMarks: child.identifyingMarks } : {}),
    ...(notes ? { notes } : {}),
  } as InterchangeRecord;
}
