// Writing a child's name, guardian and place the way one officer would: in one script, with one
// of the usual romanisations, sometimes shortened, reordered or misspelt. Different reports of the
// same child are written independently, which is what makes matching them hard.
import type { PersonName } from './child.ts';
import type { NameForm } from './data/name-table.ts';
import type { Place, Script } from './data/places.ts';
import type { Random } from './random.ts';

/** Assamese ৰ/ৱ as a Bengali writer spells them, and Bengali র as an Assamese writer does. */
const toBengaliLetters = (text: string) => text.replaceAll('ৰ', 'র').replaceAll('ৱ', 'ব');
const toAssameseLetters = (text: string) => text.replaceAll('র', 'ৰ');

/** One name part in `script`, or undefined when the lists have no spelling in that script. */
export function formIn(form: NameForm, script: Script, random: Random): string | undefined {
  if (script === 'latin') return random.chance(0.65) ? form.latin[0] : random.pick(form.latin);
  if (script === 'devanagari') return form.devanagari.length > 0 ? random.pick(form.devanagari) : undefined;
  if (form.bengali.length === 0) return undefined;
  const spelling = random.pick(form.bengali);
  return script === 'assamese' ? toAssameseLetters(spelling) : toBengaliLetters(spelling);
}

/** Which parts of a name a report carries, in order. */
export type NameStyle = 'full' | 'no-prefix' | 'given-surname' | 'given' | 'surname-first';

export function nameParts(name: PersonName, style: NameStyle): NameForm[] {
  const { prefix, given, middle, surname } = name;
  const present = (parts: (NameForm | undefined)[]) =>
    parts.filter((part): part is NameForm => part !== undefined);
  if (style === 'full') return present([prefix, given, middle, surname]);
  if (style === 'no-prefix') return present([given, middle, surname]);
  if (style === 'given-surname') return present([given, surname ?? middle]);
  if (style === 'given') return [given];
  return present([surname ?? middle, given]);
}

/** The parts written in `script`; falls back to Latin for a part with no spelling in the script. */
export function writeName(parts: readonly NameForm[], script: Script, random: Random): string {
  const words = parts.map((part) => formIn(part, script, random));
  if (words.some((word) => word === undefined)) return writeName(parts, 'latin', random);
  return words.join(' ').normalize('NFC');
}

/** Slips an officer makes typing a name heard aloud: doubled or dropped letters, i/ee, v/b, s/sh. */
export function misspell(name: string, random: Random): string {
  const rules: [RegExp, string][] = [
    [/ee/, 'i'],
    [/i(?=[^aeiou])/, 'ee'],
    [/oo/, 'u'],
    [/u(?=[^aeiou])/, 'oo'],
    [/v/, 'b'],
    [/b/, 'v'],
    [/sh/, 's'],
    [/s(?=[aeiou])/, 'sh'],
    [/([bcdfgjklmnprt])h/, '$1'],
    [/(?<=[aeiou])([kmnprt])(?=[aeiou])/, '$1$1'],
    [/a$/, 'aa'],
    [/y/, 'i'],
    [/w/, 'o'],
  ];
  const lower = name.toLowerCase();
  const applicable = rules.filter(([pattern]) => pattern.test(lower));
  if (applicable.length === 0) return name;
  const [pattern, replacement] = random.pick(applicable);
  const changed = lower.replace(pattern, replacement);
  // Restore capitals word by word, as the officer typed them.
  return changed
    .split(' ')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

/** Some registers are kept in capitals. */
export function registerCase(name: string, random: Random): string {
  return random.chance(0.08) ? name.toUpperCase() : name;
}

/** The district as written: usual name, an older or alternative spelling, or in the local script. */
export function writeDistrict(place: Place, script: Script, random: Random): string {
  const { district } = place;
  if (district.native && script !== 'latin' && random.chance(0.45)) return district.native;
  if (district.spellings.length > 1 && random.chance(0.15)) return random.pick(district.spellings.slice(1));
  return district.name;
}

export function writeState(place: Place, random: Random): string {
  const { region } = place;
  return random.chance(0.85) ? region.state : random.pick(region.stateSpellings);
}
