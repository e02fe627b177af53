// The children behind the reports: who a child really is (name parts, family, birth date, home,
// languages, marks, build), drawn at random from the place and naming lists. Reports are views of
// a child written by different people in different scripts; see missing.ts and found.ts.

import { drawMark, type Mark } from './data/marks.ts';
import type { NameForm } from './data/name-table.ts';
import { type Place, REGIONS } from './data/places.ts';
import { motherTongueOf, TRADITIONS, type Tradition, type TraditionId } from './data/traditions.ts';
import { type Random, WeightedTable } from './random.ts';

export type Sex = 'female' | 'male';

/** A person's name as parts, each a NameForm that can be written in any script. */
export interface PersonName {
  readonly prefix?: NameForm;
  readonly given: NameForm;
  readonly middle?: NameForm;
  readonly surname?: NameForm;
}

export interface Child {
  readonly tradition: TraditionId;
  readonly sex: Sex;
  readonly name: PersonName;
  /** What the family calls the child at home (daak naam), if anything. */
  readonly pet?: NameForm;
  readonly father: PersonName;
  readonly mother: PersonName;
  /** Days since 1970-01-01. */
  readonly birthDay: number;
  readonly lastSeenDay: number;
  readonly home: Place;
  /** ISO 639 codes the child speaks, home language first. */
  readonly languages: readonly string[];
  readonly marks: readonly Mark[];
  /** How much taller (cm, may be negative) than the median child of the same age and sex. */
  readonly heightOffset: number;
}

const DAY_MS = 86_400_000;
export const dayOf = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
export const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The window in which children go missing, and the last day anyone is found. */
export const FIRST_LAST_SEEN = dayOf('2020-01-01');
export const LAST_LAST_SEEN = dayOf('2024-06-30');
export const LAST_FOUND = dayOf('2025-06-30');

/** Age in whole years on `day`. */
export function ageOn(child: Pick<Child, 'birthDay'>, day: number): number {
  return (day - child.birthDay) / 365.25;
}

// Median height (cm) of Indian children by age 3..18 — approximate growth-chart medians.
const BOYS_HEIGHT = [95, 102, 109, 115, 121, 127, 132, 138, 143, 149, 155, 160, 164, 167, 169, 170];
const GIRLS_HEIGHT = [94, 101, 108, 114, 120, 126, 131, 138, 144, 150, 153, 155, 156, 157, 157, 157];

/** The child's true height (cm) on `day`, following the growth curve from their own offset. */
export function heightOn(child: Child, day: number): number {
  const curve = child.sex === 'male' ? BOYS_HEIGHT : GIRLS_HEIGHT;
  const age = Math.min(Math.max(ageOn(child, day), 3), 18);
  const low = Math.min(Math.floor(age) - 3, curve.length - 2);
  const fraction = age - 3 - low;
  const median = (curve[low] as number) + ((curve[low + 1] as number) - (curve[low] as number)) * fraction;
  // Shorter children grow along their own centile: scale the offset with height.
  return median * (1 + child.heightOffset / 150);
}

const homeTable = new WeightedTable(
  REGIONS.flatMap((region) => {
    const total = region.districts.reduce((sum, district) => sum + district.weight, 0);
    return region.districts.map((district) => ({
      place: { region, district },
      weight: (region.weight * district.weight) / total,
    }));
  }),
  (entry) => entry.weight,
);

/** Teenagers dominate missing-child registers; the youngest are rarer. */
const AGE_WEIGHTS: readonly (readonly [number, number])[] = [
  [3, 1],
  [4, 1],
  [5, 1],
  [6, 1.2],
  [7, 1.5],
  [8, 2],
  [9, 2],
  [10, 2.5],
  [11, 3],
  [12, 4],
  [13, 5],
  [14, 6],
  [15, 6.5],
  [16, 6],
  [17, 5],
];

const tables = new Map<readonly NameForm[], WeightedTable<NameForm>>();
/** Picks by each name's frequency weight, so common names (Rahul, Puja) recur often. */
export function pickName(random: Random, forms: readonly NameForm[]): NameForm {
  let table = tables.get(forms);
  if (!table) {
    table = new WeightedTable(forms, (form) => form.weight);
    tables.set(forms, table);
  }
  return table.pick(random);
}

export function drawHome(random: Random): Place {
  return homeTable.pick(random).place;
}

function prefixShare(place: Place, sex: Sex): number {
  if (place.region.country === 'BD') return sex === 'male' ? 0.6 : 0.25;
  return sex === 'male' ? 0.25 : 0;
}

export function drawPersonName(
  random: Random,
  tradition: Tradition,
  sex: Sex,
  home: Place,
  surname?: NameForm,
): PersonName {
  const given = pickName(random, sex === 'male' ? tradition.boys : tradition.girls);
  const prefixForm = sex === 'male' ? tradition.boyPrefix : tradition.girlPrefix;
  const middleForm = sex === 'male' ? tradition.boyMiddle : tradition.girlMiddle;
  const prefix = prefixForm && random.chance(prefixShare(home, sex)) ? prefixForm : undefined;
  const middle = middleForm && random.chance(tradition.middleShare) ? middleForm : undefined;
  const family = random.chance(tradition.surnameShare)
    ? (surname ?? pickName(random, sex === 'male' ? tradition.boySurnames : tradition.girlSurnames))
    : undefined;
  // A Hindi-belt child with neither Kumar nor a surname is rare: give one of the two.
  const withMiddle = !family && !middle && middleForm ? middleForm : middle;
  return {
    ...(prefix ? { prefix } : {}),
    given,
    ...(withMiddle ? { middle: withMiddle } : {}),
    ...(family ? { surname: family } : {}),
  };
}

function drawParents(random: Random, tradition: Tradition, home: Place, child: PersonName, sex: Sex) {
  // Children carry the family surname, except where girls have their own (Akter, Khatun).
  const sharesSurname = sex === 'male' || tradition.girlSurnames === tradition.boySurnames;
  const familySurname =
    sharesSurname && child.surname ? child.surname : pickName(random, tradition.boySurnames);
  const fatherGiven = pickName(random, tradition.boys);
  const fatherPrefix =
    tradition.boyPrefix && random.chance(prefixShare(home, 'male')) ? tradition.boyPrefix : undefined;
  const father: PersonName = {
    ...(fatherPrefix ? { prefix: fatherPrefix } : {}),
    given: fatherGiven,
    surname: familySurname,
  };
  const motherSurname = tradition.motherSurnames ? pickName(random, tradition.motherSurnames) : familySurname;
  const mother: PersonName = { given: pickName(random, tradition.girls), surname: motherSurname };
  return { father, mother };
}

function drawLanguages(
  random: Random,
  tradition: Tradition,
  name: PersonName,
  home: Place,
  age: number,
): string[] {
  const languages = [motherTongueOf(tradition, name.surname)];
  const add = (code: string, probability: number) => {
    if (!languages.includes(code) && random.chance(probability)) languages.push(code);
  };
  if (home.region.state === 'Bihar') add(random.pick(['bho', 'mai']), 0.35);
  if (home.region.country === 'NP') add('ne', 0.7);
  if (home.region.script === 'devanagari' || tradition.id === 'adivasi') add('hi', 0.4);
  if (tradition.id === 'hindi-muslim') add('ur', 0.35);
  if (tradition.id === 'nepali' && home.region.country === 'IN') add('hi', 0.3);
  if (home.region.state === 'Assam' && tradition.id !== 'assamese') add('as', 0.3);
  if (age >= 10) add('en', 0.12);
  return languages;
}

/** A new child living somewhere in the region, last seen on a day in the benchmark window. */
export function drawChild(random: Random, home: Place = drawHome(random)): Child {
  const tradition = TRADITIONS[random.weighted(home.district.traditions)];
  const sex: Sex = random.chance(0.55) ? 'female' : 'male';
  const age = random.weighted(AGE_WEIGHTS);
  const lastSeenDay = random.int(FIRST_LAST_SEEN, LAST_LAST_SEEN);
  const birthDay = lastSeenDay - Math.floor(age * 365.25) - random.int(0, 364);
  const name = drawPersonName(random, tradition, sex, home);
  const pet = random.chance(0.6)
    ? pickName(random, sex === 'male' ? tradition.petBoys : tradition.petGirls)
    : undefined;
  const { father, mother } = drawParents(random, tradition, home, name, sex);
  const markCount = random.weighted([
    [0, 2],
    [1, 5],
    [2, 2.5],
    [3, 0.5],
  ] as const);
  const marks: Mark[] = [];
  while (marks.length < markCount) marks.push(drawMark(random, sex));
  return {
    tradition: tradition.id,
    sex,
    name,
    ...(pet ? { pet } : {}),
    father,
    mother,
    birthDay,
    lastSeenDay,
    home,
    languages: drawLanguages(random, tradition, name, home, age),
    marks,
    heightOffset: random.normal(0, 6),
  };
}

/** A district of the same state other than `place`'s, by weight; the same place if it has no other. */
export function neighbourOf(random: Random, place: Place): Place {
  const others = place.region.districts.filter((district) => district !== place.district);
  if (others.length === 0) return place;
  return {
    region: place.region,
    district: random.weighted(others.map((district) => [district, district.weight] as const)),
  };
}

export type TwinChange = 'age' | 'sibling' | 'family' | 'district' | 'last-seen' | 'marks';

/**
 * A different child who looks like `child` on paper: the same name, place and age band except for
 * one or two fields. Used for look-alike missing reports and for found distractors.
 */
export function lookAlike(random: Random, child: Child, changes: readonly TwinChange[]): Child {
  let twin: Child = child;
  const tradition = TRADITIONS[child.tradition];
  for (const change of changes) {
    if (change === 'age') {
      const years = random.int(4, 6) * (random.chance(0.5) ? 1 : -1);
      // Keep the twin a child (3..17 at last seen).
      const age = ageOn(twin, twin.lastSeenDay);
      const shift = age + years < 3 || age + years > 17.9 ? -years : years;
      twin = { ...twin, birthDay: twin.birthDay - Math.round(shift * 365.25) };
    } else if (change === 'sibling') {
      const sex: Sex = random.chance(0.5) ? 'female' : 'male';
      const surname = sex === twin.sex ? twin.name.surname : undefined;
      const name = drawPersonName(random, tradition, sex, twin.home, surname);
      const years = random.int(2, 6) * (random.chance(0.5) ? 1 : -1);
      const age = ageOn(twin, twin.lastSeenDay);
      const shift = age + years < 3 || age + years > 17.9 ? -years : years;
      const pet = random.chance(0.6)
        ? pickName(random, sex === 'male' ? tradition.petBoys : tradition.petGirls)
        : undefined;
      const { pet: _dropped, ...rest } = twin;
      twin = {
        ...rest,
        sex,
        name,
        ...(pet ? { pet } : {}),
        birthDay: twin.birthDay - Math.round(shift * 365.25),
      };
    } else if (change === 'family') {
      const parents = drawParents(random, tradition, twin.home, twin.name, twin.sex);
      twin = { ...twin, ...parents };
    } else if (change === 'district') {
      twin = { ...twin, home: neighbourOf(random, twin.home) };
    } else if (change === 'last-seen') {
      const days = random.int(240, 700) * (random.chance(0.5) ? 1 : -1);
      twin = { ...twin, lastSeenDay: twin.lastSeenDay + days, birthDay: twin.birthDay + days };
    } else {
      const marks: Mark[] = [];
      const count = random.int(1, 2);
      while (marks.length < count) marks.push(drawMark(random, twin.sex));
      twin = { ...twin, marks };
    }
  }
  return twin;
}
