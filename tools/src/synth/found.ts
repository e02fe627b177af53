// A found-child report as the station where the child turns up writes it, knowing only what the
// child says and what the officer sees: a name in the local script or another romanisation, often
// shortened to the given name or a pet name, sometimes none; an age guessed from looks; marks
// described in the officer's own words; the place and day of finding.
import { ageOn, type Child, heightOn, isoDay, LAST_FOUND, neighbourOf } from './child.ts';
import { describeMark, drawMark, mirrored } from './data/marks.ts';
import { FOUND_NOTES, HOME_HINTS, WORKPLACES } from './data/notes.ts';
import { type Place, REGIONS } from './data/places.ts';
import { routesFrom } from './data/routes.ts';
import { fillTemplate, landmarkOf, reportedAt, reportLanguage, reportScript } from './missing.ts';
import type { Random } from './random.ts';
import {
  formIn,
  misspell,
  type NameStyle,
  nameParts,
  registerCase,
  writeDistrict,
  writeName,
  writeState,
} from './render.ts';
import type { SyntheticReport } from './report.ts';

/** Where and when a child turns up. */
export interface Finding {
  readonly place: Place;
  readonly day: number;
}

/** Where the child went: home district, elsewhere in the state, or along a corridor out of it. */
export function destinationOf(child: Child, random: Random): Place {
  const roll = random.float();
  if (roll < 0.4) return child.home;
  const routes = routesFrom(child.home);
  if (roll < 0.55 || !routes) return neighbourOf(random, child.home);
  const destination = random.weighted(routes);
  if ('place' in destination) return destination.place;
  const region = destination.anyDistrictOf;
  const district = random.weighted(region.districts.map((entry) => [entry, entry.weight] as const));
  return { region, district };
}

/** Days from last seen to found: mostly days to months, a tail of a year or more. */
export function daysMissing(random: Random): number {
  return random.weighted([
    [random.int(0, 14), 35],
    [random.int(15, 90), 30],
    [random.int(91, 365), 22],
    [random.int(366, 1000), 13],
  ]);
}

export function findingOf(child: Child, random: Random): Finding {
  // No one is found after the benchmark's last day: redraw a longer absence within the window
  // rather than piling findings up on that day.
  const days = daysMissing(random);
  const room = Math.max(0, LAST_FOUND - child.lastSeenDay);
  const day = child.lastSeenDay + (days <= room ? days : random.int(0, room));
  return { place: destinationOf(child, random), day };
}

/** Any district, for children found where the lists have no corridor to send them. */
export function anyPlace(random: Random): Place {
  const region = random.weighted(REGIONS.map((entry) => [entry, entry.weight] as const));
  const district = random.weighted(region.districts.map((entry) => [entry, entry.weight] as const));
  return { region, district };
}

type NameGiven = NameStyle | 'pet' | 'none';

/** What the child tells the officer: young children often give only a pet name, or nothing. */
function nameGiven(child: Child, age: number, random: Random): NameGiven {
  const none = age < 6 ? 0.2 : 0.04;
  const pet = child.pet ? (age < 8 ? 0.25 : 0.1) : 0;
  return random.weighted<NameGiven>([
    ['none', none],
    ['pet', pet],
    ['given', 0.16],
    ['surname-first', 0.04],
    ['given-surname', 0.28],
    ['no-prefix', 0.12],
    ['full', Math.max(0, 1 - none - pet - 0.6)],
  ]);
}

function estimatedAge(
  trueAge: number,
  random: Random,
): Pick<SyntheticReport, 'ageYears' | 'ageEstimateMin' | 'ageEstimateMax'> {
  // Officers judge age from looks: unbiased on average, a year or so off, now and then 3–4 years.
  const wrong = random.chance(0.08) ? random.int(3, 4) * (random.chance(0.5) ? 1 : -1) : 0;
  const centre = trueAge + random.normal(0, 1.0) + wrong;
  const clamp = (age: number) => Math.min(25, Math.max(0, age));
  if (random.chance(0.25)) return { ageYears: clamp(Math.round(centre)) };
  const halfWidth = random.chance(0.6) ? 1 : 2;
  const min = clamp(Math.round(centre - halfWidth));
  const max = clamp(Math.max(min, Math.round(centre + halfWidth)));
  return { ageEstimateMin: min, ageEstimateMax: max };
}

export function foundReport(child: Child, id: string, finding: Finding, random: Random): SyntheticReport {
  const { place, day } = finding;
  const script = reportScript(place, random, 0.05);
  const language = reportLanguage(place, script, random);
  const age = ageOn(child, day);
  const given = nameGiven(child, age, random);

  let name: string | undefined;
  if (given === 'pet' && child.pet) name = formIn(child.pet, script, random) ?? child.pet.latin[0];
  else if (given !== 'none' && given !== 'pet') {
    name = writeName(nameParts(child.name, given), script, random);
  }
  if (name && script === 'latin') {
    if (random.chance(0.12)) name = misspell(name, random);
    name = registerCase(name, random);
  }
  const aliases: string[] = [];
  if (name && child.pet && given !== 'pet' && random.chance(0.12)) {
    const pet = formIn(child.pet, script, random);
    if (pet && pet !== name) aliases.push(pet);
  }

  // A child who cannot give a name is asked for a parent's; officers then write what they hear.
  const guardianShare = given === 'none' || given === 'pet' ? 0.7 : 0.45;
  const guardian = random.chance(guardianShare)
    ? random.chance(0.6)
      ? child.father
      : child.mother
    : undefined;
  const guardianName = guardian
    ? writeName(
        random.chance(0.4)
          ? [guardian.given]
          : [guardian.given, ...(guardian.surname ? [guardian.surname] : [])],
        random.chance(0.8) ? script : 'latin',
        random,
      )
    : undefined;

  const seen = child.marks
    .filter(() => random.chance(0.65))
    .map((mark) => (random.chance(0.06) ? mirrored(mark) : mark));
  // Injuries picked up while away.
  if (random.chance(0.1)) seen.push(drawMark(random, child.sex));
  const marks = seen.map((mark) => describeMark(mark, language, random));

  const height = random.chance(0.45) ? heightOn(child, day) + random.normal(0, 2) : undefined;
  const languages = random.chance(0.7)
    ? child.languages.filter((_, index) => index === 0 || random.chance(0.5))
    : undefined;

  const notes: string[] = [];
  if (random.chance(0.75)) {
    notes.push(
      fillTemplate(random.pick(FOUND_NOTES[language]), {
        place: landmarkOf(place, random),
        workplace: random.pick(WORKPLACES),
      }),
    );
  }
  if (given !== 'full' && random.chance(0.15)) {
    const home = random.chance(0.7) ? child.home.district.name : child.home.region.state;
    notes.push(fillTemplate(random.pick(HOME_HINTS[language]), { home }));
  }

  const sex = random.chance(0.01) ? 'unknown' : child.sex;
  return {
    id,
    kind: 'found',
    country: place.region.country,
    state: writeState(place, random),
    district: writeDistrict(place, script, random),
    reportedAt: reportedAt(
      day +
        random.weighted([
          [0, 70],
          [1, 20],
          [2, 10],
        ]),
      place,
      random,
    ),
    eventDate: isoDay(day),
    ...(name ? { name } : {}),
    ...(aliases.length > 0 ? { aliases } : {}),
    sex,
    ...estimatedAge(age, random),
    ...(height !== undefined ? { heightCm: Math.min(220, Math.max(30, Math.round(height * 2) / 2)) } : {}),
    ...(languages ? { languages } : {}),
    ...(guardianName ? { guardianName } : {}),
    ...(marks.length > 0 ? { identifyingMarks: marks } : {}),
    ...(notes.length > 0 ? { notes: notes.join(' ') } : {}),
  };
}
