// A public notice: what a printed poster would show and nothing more — the first name, an age,
// sex, the district, the date, whom to call, and the case's photo. No surname, no aliases, no marks, no guardians,
// no case id. Plain functions, no I/O.
import type { Age, PublicNotice } from '@khoj/contracts';
import type { CaseRow } from '../db/schema/index.ts';

/** The first word of the name as registered, or null for a child whose name is unknown. */
export function firstNameOf(name: string | undefined): string | null {
  return name?.trim().split(/\s+/u)[0] || null;
}

/** Whole years, or "about 10–13" for an estimate. */
export function ageOf(age: Age): number | string {
  if ('years' in age) return age.years;
  return age.estimateMin === age.estimateMax
    ? age.estimateMin
    : `about ${age.estimateMin}–${age.estimateMax}`;
}

export type NoticeSource = Pick<
  CaseRow,
  'kind' | 'child' | 'country' | 'state' | 'district' | 'eventDate'
> & {
  unitName: string;
  unitPhones: string[];
  hasPhoto: boolean;
};

export function toPublicNotice(row: NoticeSource, noticeId: string): PublicNotice {
  return {
    noticeId,
    kind: row.kind,
    firstName: firstNameOf(row.child.name),
    age: ageOf(row.child.age),
    sex: row.child.sex,
    place: { district: row.district, state: row.state, country: row.country },
    date: row.eventDate,
    contact: { unit: row.unitName, phone: row.unitPhones[0] ?? null },
    photoUrl: row.hasPhoto ? `/v1/public/notices/${noticeId}/photo` : null,
  };
}
