// Naming traditions: how a child of each community is named (given name, Kumar/Kumari, surname,
// "Md."/"Mst."), what the family calls them at home, and what they speak. The generator draws a
// tradition from where the child lives, then a name from its lists.
import type { NameForm } from './name-table.ts';
import * as bengal from './names-bengal.ts';
import * as east from './names-east.ts';
import * as north from './names-north.ts';

export type TraditionId =
  | 'bengali-hindu'
  | 'bengali-muslim'
  | 'hindi-hindu'
  | 'hindi-muslim'
  | 'marathi'
  | 'nepali'
  | 'assamese'
  | 'odia'
  | 'adivasi';

export interface Tradition {
  readonly id: TraditionId;
  readonly boys: readonly NameForm[];
  readonly girls: readonly NameForm[];
  readonly boySurnames: readonly NameForm[];
  readonly girlSurnames: readonly NameForm[];
  /** How often the child's registered name carries a surname at all. */
  readonly surnameShare: number;
  /** Kumar/Kumari between given name and surname, and how often. */
  readonly boyMiddle?: NameForm;
  readonly girlMiddle?: NameForm;
  readonly middleShare: number;
  /** Md./Mst. before the name; how often depends on the country (far commoner in Bangladesh). */
  readonly boyPrefix?: NameForm;
  readonly girlPrefix?: NameForm;
  /** A mother's surname where it is not the family's (Devi, Begum, Khatun). */
  readonly motherSurnames?: readonly NameForm[];
  readonly petBoys: readonly NameForm[];
  readonly petGirls: readonly NameForm[];
  /** ISO 639 codes of the home language. */
  readonly motherTongue: string;
}

const only = (forms: NameForm[]) => forms[0] as NameForm;

export const TRADITIONS: Record<TraditionId, Tradition> = {
  'bengali-hindu': {
    id: 'bengali-hindu',
    boys: bengal.BENGALI_HINDU_BOYS,
    girls: bengal.BENGALI_HINDU_GIRLS,
    boySurnames: bengal.BENGALI_HINDU_SURNAMES,
    girlSurnames: bengal.BENGALI_HINDU_SURNAMES,
    surnameShare: 0.95,
    middleShare: 0,
    petBoys: bengal.BENGALI_PET_BOYS,
    petGirls: bengal.BENGALI_PET_GIRLS,
    motherTongue: 'bn',
  },
  'bengali-muslim': {
    id: 'bengali-muslim',
    boys: bengal.BENGALI_MUSLIM_BOYS,
    girls: bengal.BENGALI_MUSLIM_GIRLS,
    boySurnames: bengal.BENGALI_MUSLIM_SURNAMES_BOYS,
    girlSurnames: bengal.BENGALI_MUSLIM_SURNAMES_GIRLS,
    surnameShare: 0.9,
    middleShare: 0,
    boyPrefix: only(bengal.MUSLIM_BOY_PREFIX),
    girlPrefix: only(bengal.MUSLIM_GIRL_PREFIX),
    motherSurnames: bengal.BENGALI_MUSLIM_SURNAMES_GIRLS,
    petBoys: bengal.BENGALI_PET_BOYS,
    petGirls: bengal.BENGALI_PET_GIRLS,
    motherTongue: 'bn',
  },
  'hindi-hindu': {
    id: 'hindi-hindu',
    boys: north.HINDI_BOYS,
    girls: north.HINDI_GIRLS,
    boySurnames: north.HINDI_SURNAMES,
    girlSurnames: north.HINDI_SURNAMES,
    surnameShare: 0.7,
    boyMiddle: only(north.HINDI_MIDDLE_BOY),
    girlMiddle: only(north.HINDI_MIDDLE_GIRL),
    middleShare: 0.55,
    motherSurnames: north.HINDI_MOTHER_SURNAME,
    petBoys: north.HINDI_PET_BOYS,
    petGirls: north.HINDI_PET_GIRLS,
    motherTongue: 'hi',
  },
  'hindi-muslim': {
    id: 'hindi-muslim',
    boys: north.HINDI_MUSLIM_BOYS,
    girls: north.HINDI_MUSLIM_GIRLS,
    boySurnames: north.HINDI_MUSLIM_SURNAMES_BOYS,
    girlSurnames: north.HINDI_MUSLIM_SURNAMES_GIRLS,
    surnameShare: 0.85,
    middleShare: 0,
    boyPrefix: only(bengal.MUSLIM_BOY_PREFIX),
    motherSurnames: north.HINDI_MUSLIM_SURNAMES_GIRLS,
    petBoys: north.HINDI_PET_BOYS,
    petGirls: north.HINDI_PET_GIRLS,
    motherTongue: 'hi',
  },
  marathi: {
    id: 'marathi',
    boys: north.MARATHI_BOYS,
    girls: north.MARATHI_GIRLS,
    boySurnames: north.MARATHI_SURNAMES,
    girlSurnames: north.MARATHI_SURNAMES,
    surnameShare: 0.95,
    middleShare: 0,
    petBoys: north.MARATHI_PET_BOYS,
    petGirls: north.MARATHI_PET_GIRLS,
    motherTongue: 'mr',
  },
  nepali: {
    id: 'nepali',
    boys: east.NEPALI_BOYS,
    girls: east.NEPALI_GIRLS,
    boySurnames: east.NEPALI_SURNAMES,
    girlSurnames: east.NEPALI_SURNAMES,
    surnameShare: 0.92,
    middleShare: 0,
    petBoys: east.NEPALI_PET_BOYS,
    petGirls: east.NEPALI_PET_GIRLS,
    motherTongue: 'ne',
  },
  assamese: {
    id: 'assamese',
    boys: east.ASSAMESE_BOYS,
    girls: east.ASSAMESE_GIRLS,
    boySurnames: east.ASSAMESE_SURNAMES,
    girlSurnames: east.ASSAMESE_SURNAMES,
    surnameShare: 0.95,
    middleShare: 0,
    petBoys: east.ASSAMESE_PET_BOYS,
    petGirls: east.ASSAMESE_PET_GIRLS,
    motherTongue: 'as',
  },
  odia: {
    id: 'odia',
    boys: east.ODIA_BOYS,
    girls: east.ODIA_GIRLS,
    boySurnames: east.ODIA_SURNAMES,
    girlSurnames: east.ODIA_SURNAMES,
    surnameShare: 0.95,
    middleShare: 0,
    petBoys: east.ODIA_PET_BOYS,
    petGirls: east.ODIA_PET_GIRLS,
    motherTongue: 'or',
  },
  adivasi: {
    id: 'adivasi',
    boys: east.ADIVASI_BOYS,
    girls: east.ADIVASI_GIRLS,
    boySurnames: east.ADIVASI_SURNAMES,
    girlSurnames: east.ADIVASI_SURNAMES,
    surnameShare: 0.9,
    middleShare: 0,
    petBoys: east.ADIVASI_PET_BOYS,
    petGirls: east.ADIVASI_PET_GIRLS,
    motherTongue: 'sat',
  },
};

const SANTAL = new Set(['Soren', 'Hansda', 'Tudu', 'Kisku', 'Murmu', 'Hembrom', 'Marandi']);
const MUNDA = new Set(['Munda', 'Bhengra']);

/** An Adivasi child's home language follows the community the surname names. */
export function motherTongueOf(tradition: Tradition, surname: NameForm | undefined): string {
  if (tradition.id !== 'adivasi' || !surname) return tradition.motherTongue;
  const name = surname.latin[0] ?? '';
  if (SANTAL.has(name)) return 'sat';
  if (MUNDA.has(name)) return 'unr';
  return 'kru'; // Oraon, Toppo, Lakra, Kujur, Tirkey, Ekka, Minz, Kerketta, Barla: Kurukh speakers
}
