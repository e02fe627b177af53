// Written names → comparable tokens. A name as written on a report ("Md. Rafiqul Islam",
// "শ্রী রাম দাস", "Rahul S/O Ramesh", "रमेश उर्फ गुड्डू") loses its titles, honorifics and the
// relative it names, and each remaining word gets its Latin spelling, phonetic key, surname
// class and whether it is a pet name. The word lists are JSON files in data/, loaded into Sets
// and Maps once, because the engine parses millions of names.
import honorifics from './data/honorifics.json' with { type: 'json' };
import abbreviationData from './data/name-abbreviations.json' with { type: 'json' };
import petNameData from './data/pet-names.json' with { type: 'json' };
import surnameData from './data/surname-classes.json' with { type: 'json' };
import { phoneticKey } from './phonetic.ts';
import { toLatin } from './transliterate.ts';

export type NameToken = {
  written: string;
  latin: string;
  phonetic: string;
  surnameClass?: string | undefined;
  petName: boolean;
};

/**
 * Phonetic keys shorter than this are not used to find a surname class or pet name: short keys
 * are shared by unrelated names (Ria and Roy both key "ri", Hasan and Hossen "hasan").
 */
const MIN_SURNAME_KEY = 6;
const MIN_PET_KEY = 3;

const ABBREVIATIONS = new Map<string, string>(Object.entries(abbreviationData.abbreviations));

const SURNAME_BY_SPELLING = new Map<string, string>();
const SURNAME_BY_KEY = new Map<string, string | null>();
for (const spellings of surnameData.classes) {
  const id = spellings[0] as string;
  for (const spelling of spellings) {
    SURNAME_BY_SPELLING.set(spelling, id);
    const key = phoneticKey(spelling);
    if (key.length < MIN_SURNAME_KEY) continue;
    const known = SURNAME_BY_KEY.get(key);
    // A key two classes share identifies neither (null): only exact spellings count then.
    SURNAME_BY_KEY.set(key, known === undefined || known === id ? id : null);
  }
}

const PET_NAMES = new Set(petNameData.names);
const PET_NAME_KEYS = new Set(
  petNameData.names.map((name) => phoneticKey(name)).filter((key) => key.length >= MIN_PET_KEY),
);

/** Surname equivalence class id ('chatterjee' for chattopadhyay…) or undefined. Input Latin word. */
export function surnameClass(latinWord: string): string | undefined {
  const word = latinWord.toLowerCase();
  const spelled = SURNAME_BY_SPELLING.get(ABBREVIATIONS.get(word) ?? word);
  if (spelled !== undefined) return spelled;
  const key = phoneticKey(word);
  if (key.length < MIN_SURNAME_KEY) return undefined;
  return SURNAME_BY_KEY.get(key) ?? undefined;
}

export function isPetName(latinWord: string): boolean {
  const word = latinWord.toLowerCase();
  if (PET_NAMES.has(word)) return true;
  const key = phoneticKey(word);
  return key.length >= MIN_PET_KEY && PET_NAME_KEYS.has(key);
}

type WordLists = { latin: string[]; bengali: string[]; devanagari: string[] };

/**
 * One list: its Latin phrases and its script phrases (words joined by ' '), and the first words
 * of its multi-word phrases, so most words are checked with a single Set lookup.
 */
type PhraseSet = { latin: Set<string>; script: Set<string>; starts: Set<string>; longest: number };

function phraseSet(lists: WordLists): PhraseSet {
  const latin = new Set(lists.latin);
  const script = new Set([...lists.bengali, ...lists.devanagari].map(scriptKey));
  const phrases = [...latin, ...script].map((phrase) => phrase.split(' '));
  const starts = new Set(phrases.filter((words) => words.length > 1).map((words) => words[0] as string));
  const longest = Math.max(...phrases.map((words) => words.length));
  return { latin, script, starts, longest };
}

/** How a script word is compared with the lists: NFC, without the abbreviation marks . : ঃ. */
function scriptKey(word: string): string {
  return word.normalize('NFC').replace(/[.:ঃः]+$/u, '');
}

const TITLES = phraseSet(honorifics.titles);
const WEAK_TITLES = phraseSet(honorifics.weakTitles);
const RELATIONAL = phraseSet(honorifics.relational);
const ALIAS = phraseSet(honorifics.alias);

/** "S/O", "d/o", "W.O", "c / o": the Latin relational abbreviations listed as x/o. */
const RELATION_LETTERS = honorifics.relational.latin
  .filter((entry) => /^[a-z]\/o$/.test(entry))
  .map((entry) => entry[0])
  .join('');
const RELATIONAL_ABBREVIATION = new RegExp(
  `(?<![\\p{L}\\p{M}])[${RELATION_LETTERS}]\\s*[/\\\\.]\\s*o(?![\\p{L}\\p{M}])`,
  'iu',
);

/**
 * Arabic article particles written apart or hyphenated (Nasir Ud-Din, Rafiq Ul Islam) are joined
 * to the next word, as most records write them (Uddin, Ulislam).
 */
const ARTICLE_PARTICLE = /(?<![\p{L}\p{M}])(u[dlnrsz])[\s-]+(?=\p{Script=Latin})/giu;

/** One word: a run of one script (a Bengali word glued to a Latin one is two words). */
const WORD = /\p{Script=Bengali}+|\p{Script=Devanagari}+|[\p{Script=Latin}\p{Mn}0-9]+/gu;
const INVISIBLE = /[\u200b-\u200d\u00ad\ufeff]/g;

type WrittenWord = { written: string; latin: string; script: string };

function isIndic(word: string): boolean {
  return /[\u0900-\u09ff]/.test(word);
}

/** Length (in words) of the phrase of `set` that starts at words[at], or 0. */
function phraseAt(set: PhraseSet, words: WrittenWord[], at: number): number {
  const first = words[at] as WrittenWord;
  if (!set.starts.has(first.latin) && !set.starts.has(first.script)) {
    return set.latin.has(first.latin) || set.script.has(first.script) ? 1 : 0;
  }
  for (let length = Math.min(set.longest, words.length - at); length >= 1; length--) {
    const slice = words.slice(at, at + length);
    if (set.latin.has(slice.map((word) => word.latin).join(' '))) return length;
    if (set.script.has(slice.map((word) => word.script).join(' '))) return length;
  }
  return 0;
}

const wordCache = new Map<string, WrittenWord[]>();
const WORD_CACHE_LIMIT = 100_000;

/** One written word's Latin word(s): usually one, more when it mixes in digits or punctuation. */
function writtenWords(written: string): WrittenWord[] {
  let words = wordCache.get(written);
  if (words === undefined) {
    const script = isIndic(written) ? scriptKey(written) : '';
    words = toLatin(written)
      .split(' ')
      .filter((latin) => latin !== '' && !/^[0-9]+$/.test(latin))
      .map((latin) => ({ written, latin, script }));
    if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
    wordCache.set(written, words);
  }
  return words;
}

const tokenCache = new Map<string, Omit<NameToken, 'written'>>();
const TOKEN_CACHE_LIMIT = 100_000;

function describe(written: string, latin: string): NameToken {
  let known = tokenCache.get(latin);
  if (known === undefined) {
    known = {
      latin,
      phonetic: phoneticKey(latin),
      surnameClass: surnameClass(latin),
      petName: isPetName(latin),
    };
    if (tokenCache.size >= TOKEN_CACHE_LIMIT) tokenCache.clear();
    tokenCache.set(latin, known);
  }
  return { written, ...known };
}

/** Splits a written name into tokens, dropping honorifics/particles and relational phrases
 *  ("S/O Ramesh" drops the part after S/O: it names the father); order as written. */
export function parseName(written: string): NameToken[] {
  let text = written.normalize('NFC').replace(INVISIBLE, '');
  const relation = RELATIONAL_ABBREVIATION.exec(text);
  if (relation) text = text.slice(0, relation.index);
  text = text.replace(ARTICLE_PARTICLE, '$1').replace(/['’‘`´]/g, '');

  const words: WrittenWord[] = [];
  for (const match of text.matchAll(WORD)) words.push(...writtenWords(match[0]));

  const names: NameToken[] = [];
  const weak: NameToken[] = [];
  let at = 0;
  while (at < words.length) {
    if (phraseAt(RELATIONAL, words, at) > 0) break;
    const skip = phraseAt(ALIAS, words, at) || phraseAt(TITLES, words, at);
    if (skip > 0) {
      at += skip;
      continue;
    }
    const word = words[at] as WrittenWord;
    const weakLength = phraseAt(WEAK_TITLES, words, at);
    if (weakLength > 0) {
      for (const part of words.slice(at, at + weakLength)) weak.push(describe(part.written, part.latin));
      at += weakLength;
      continue;
    }
    names.push(describe(word.written, word.latin));
    at++;
  }
  // Md., Kumar, Baby, Babu are dropped beside a name, but are the name when nothing else is left.
  return names.length > 0 ? names : weak;
}

/** Trigram-friendly normalised full name: parseName tokens' latin forms joined by ' ', in written order. */
export function latinName(written: string): string {
  return parseName(written)
    .map((token) => token.latin)
    .join(' ');
}
