// A missing-child report as the family's police station writes it: the registered name (with
// Md./Kumar where the family uses them) in the station's script or in Latin, the exact age, a
// parent as guardian, the marks the family remembers, the day the child was last seen.
import { type Child, heightOn, isoDay } from './child.ts';
import type { MarkLanguage } from './data/marks.ts';
import { describeMark } from './data/marks.ts';
import { CITIES, CLOTHES, MISSING_NOTES } from './data/notes.ts';
import { type Place, type Script, TIME_ZONES } from './data/places.ts';
import type { Random } from './random.ts';
import { formIn, writeDistrict, writeName, writeState } from './render.ts';
import type { SyntheticReport } from './report.ts';

/** Share of reports written in the station's own script rather than Latin. */
const NATIVE_SHARE: Record<Script, number> = { latin: 0, bengali: 0.4, assamese: 0.3, devanagari: 0.4 };

export function reportScript(place: Place, random: Random, boost = 0): Script {
  const { script, state } = place.region;
  const share = state === 'Maharashtra' ? 0.2 : NATIVE_SHARE[script] + boost;
  return random.chance(share) ? script : 'latin';
}

/** The language marks and notes are written in: English, or the office language. */
export function reportLanguage(place: Place, script: Script, random: Random): MarkLanguage {
  const office = place.region.officeLanguage;
  if (office === 'en') return 'en';
  const share = script === 'latin' ? 0.15 : 0.7;
  return random.chance(share) ? office : 'en';
}

export function reportedAt(day: number, place: Place, random: Random): string {
  const hour = String(random.int(8, 21)).padStart(2, '0');
  const minute = String(random.int(0, 59)).padStart(2, '0');
  const time = `${isoDay(day)}T${hour}:${minute}`;
  return random.chance(0.7) ? `${time}:00${TIME_ZONES[place.region.country]}` : time;
}

export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? key);
}

export function landmarkOf(place: Place, random: Random): string {
  return place.district.landmarks.length > 0 && random.chance(0.7)
    ? random.pick(place.district.landmarks)
    : place.district.name;
}

export function missingReport(child: Child, id: string, random: Random): SyntheticReport {
  const home = child.home;
  const script = reportScript(home, random);
  const language = reportLanguage(home, script, random);
  const name = writeName(
    [child.name.prefix, child.name.given, child.name.middle, child.name.surname].flatMap((part, index) =>
      // The family gives the full registered name; a station sometimes leaves off "Md."
      part && !(index === 0 && random.chance(0.2)) ? [part] : [],
    ),
    script,
    random,
  );
  const aliases: string[] = [];
  if (child.pet && random.chance(0.5)) {
    const pet = formIn(child.pet, random.chance(0.6) ? script : 'latin', random) ?? child.pet.latin[0];
    if (pet) aliases.push(pet);
  }
  if (random.chance(0.2)) {
    const other = writeName(
      [child.name.given, ...(child.name.surname ? [child.name.surname] : [])],
      script === 'latin' ? home.region.script : 'latin',
      random,
    );
    if (other !== name && !aliases.includes(other)) aliases.push(other);
  }
  const exactAge = Math.floor((child.lastSeenDay - child.birthDay) / 365.25);
  const age = ((): Pick<SyntheticReport, 'ageYears' | 'ageEstimateMin' | 'ageEstimateMax'> => {
    if (random.chance(0.05)) return { ageEstimateMin: exactAge, ageEstimateMax: exactAge + 1 };
    // Families often give the age in its running year, one more than completed years.
    const reported = exactAge + (random.chance(0.12) ? 1 : random.chance(0.03) ? -1 : 0);
    return { ageYears: Math.max(0, reported) };
  })();
  const height = random.chance(0.55) ? heightOn(child, child.lastSeenDay) + random.normal(0, 4) : undefined;
  const guardian = random.chance(0.92) ? (random.chance(0.75) ? child.father : child.mother) : undefined;
  const guardianScript = random.chance(0.85) ? script : 'latin';
  const marks = child.marks
    .filter(() => random.chance(0.85))
    .map((mark) => describeMark(mark, language, random));
  const notes = random.chance(0.6)
    ? fillTemplate(random.pick(MISSING_NOTES[language]), {
        place: landmarkOf(home, random),
        city: random.pick(CITIES),
        clothes: random.pick(CLOTHES),
      })
    : undefined;
  const reportDay =
    child.lastSeenDay +
    random.weighted([
      [random.int(0, 3), 70],
      [random.int(4, 30), 25],
      [random.int(31, 180), 5],
    ]);
  return {
    id,
    kind: 'missing',
    country: home.region.country,
    state: writeState(home, random),
    district: writeDistrict(home, script, random),
    reportedAt: reportedAt(reportDay, home, random),
    eventDate: isoDay(child.lastSeenDay),
    name,
    ...(aliases.length > 0 ? { aliases } : {}),
    sex: child.sex,
    ...age,
    ...(height !== undefined ? { heightCm: roundHeight(height, random) } : {}),
    ...(random.chance(0.7) ? { languages: [...child.languages] } : {}),
    ...(guardian
      ? {
          guardianName: writeName(
            [guardian.prefix, guardian.given, guardian.surname].flatMap((part) => (part ? [part] : [])),
            guardianScript,
            random,
          ),
        }
      : {}),
    ...(marks.length > 0 ? { identifyingMarks: marks } : {}),
    ...(notes ? { notes } : {}),
  };
}

/** Families give round heights; clamp to the format's 30–220 cm. */
function roundHeight(height: number, random: Random): number {
  const rounded = random.chance(0.5) ? Math.round(height / 5) * 5 : Math.round(height);
  return Math.min(220, Math.max(30, rounded));
}
