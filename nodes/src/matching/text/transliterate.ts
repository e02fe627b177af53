// Any supported script → lowercase ASCII Latin words. Devanagari and Bengali/Assamese words go
// through indic.ts (schwa deletion, Bengali → Devanagari) and sanscript's ITRANS scheme, whose
// case-coded output (A = long a, T = retroflex t, M = anusvara) is then folded to the plain
// spelling people use for names ("rAhul" → "rahul", "lakShmI" → "lakshmi"). Latin text loses its
// diacritics (IAST ś/ṣ become "sh", ṛ "ri"). Other scripts are not transliterated: their words
// disappear from the output rather than leaking non-ASCII text into keys.
import sanscriptModule from '@indic-transliteration/sanscript';
import { type IndicScript, indicScriptOf, prepareIndicWord } from './indic.ts';

// The package's .d.ts declares an ES default export, but the package is CommonJS
// (module.exports = Sanscript), so under Node's ESM loader the default import is the object itself.
type Transliterator = { t(data: string, from: string, to: string): string };
const sanscript = sanscriptModule as unknown as Transliterator;

/** ITRANS spellings → name spellings. Order matters: longer tokens first. */
const ITRANS_TOKENS =
  /RRi|RRI|LLi|LLI|j~n|~N|~n|\.N|\.Dh|\.D|\.a|\.c|\.h|Ch|Th|Dh|Sh|OM|[ATDNIUKGYRLHMèòv]|\|+|[^\x20-\x7e]/g;
const ITRANS_PLAIN: Record<string, string> = {
  RRi: 'ri',
  RRI: 'ri',
  LLi: 'li',
  LLI: 'li',
  'j~n': 'gy', // ज्ञ: "gyan", not "jnan"

  '~n': 'n',
  '.N': 'n', // candrabindu
  '.Dh': 'rh', // ढ़
  '.D': 'r', // ड़ (Bengali ড়): বড়ুয়া Barua
  '.a': '',
  '.c': 'e',
  '.h': '',
  Ch: 'chh',
  Th: 'th',
  Dh: 'dh',
  Sh: 'sh',
  OM: 'om',
  A: 'a',
  T: 't',
  D: 'd',
  N: 'n',
  I: 'i',
  U: 'u',
  K: 'kh',
  G: 'gh',
  Y: 'y',
  R: 'r',
  L: 'l',
  H: 'h',
  è: 'e',
  ò: 'o',
};
const ITRANS_VOWELS = new Set('aAiIuUeEoO');

/** Latin letters with diacritics whose plain spelling is more than the base letter. */
const LATIN_SPECIAL: Record<string, string> = {
  ś: 'sh',
  ṣ: 'sh',
  ṛ: 'ri',
  ṝ: 'ri',
  ḷ: 'li',
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
};
const LATIN_SPECIAL_PATTERN = /[śṣṛṝḷßæø]/g;

const INVISIBLE = /[\u200b-\u200d\u00ad\ufeff]/g;
const APOSTROPHES = /['’‘`´]/g;

/** Transliterated script words, because the engine sees the same names again and again. */
const wordCache = new Map<string, string>();
const WORD_CACHE_LIMIT = 100_000;

/** Any supported script → lowercase ASCII Latin, honorifics NOT removed, words kept. */
export function toLatin(text: string): string {
  const normal = text.normalize('NFC').replace(INVISIBLE, '');
  const words: string[] = [];
  let latinRun = '';
  let i = 0;
  while (i < normal.length) {
    const script = indicScriptOf(normal.charCodeAt(i));
    if (script === undefined) {
      latinRun += normal[i];
      i++;
      continue;
    }
    let end = i + 1;
    while (end < normal.length && indicScriptOf(normal.charCodeAt(end)) === script) end++;
    words.push(foldLatin(latinRun));
    latinRun = '';
    for (const word of normal.slice(i, end).split(/[\u0964\u0965]+/)) {
      if (word) words.push(indicWordToLatin(word, script));
    }
    i = end;
  }
  words.push(foldLatin(latinRun));
  return words.join(' ').replace(/\s+/g, ' ').trim();
}

function foldLatin(text: string): string {
  if (!text) return '';
  return text
    .toLowerCase()
    .replace(LATIN_SPECIAL_PATTERN, (letter) => LATIN_SPECIAL[letter] ?? letter)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(APOSTROPHES, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function indicWordToLatin(word: string, script: IndicScript): string {
  const cacheKey = script === 'bengali' ? `b${word}` : `d${word}`;
  const cached = wordCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const itrans = sanscript.t(prepareIndicWord(word, script), 'devanagari', 'itrans');
  let latin = itransToPlain(itrans, script)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  // Bengali has no "v": its व only comes from ৱ, ওয় and the ba-phala, all romanised "w".
  if (script === 'bengali') latin = latin.replace(/v/g, 'w');
  if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
  wordCache.set(cacheKey, latin);
  return latin;
}

function itransToPlain(itrans: string, script: IndicScript): string {
  return itrans
    .replace(ITRANS_TOKENS, (token, offset: number) => {
      if (token === 'M') return anusvara(itrans[offset + 1] ?? '', script);
      // ङ: "n" before the velar it usually precedes (पङ्कज Pankaj), "ng" elsewhere (तामाङ Tamang).
      if (token === '~N') return /[kgqKG]/.test(itrans[offset + 2] ?? '') ? 'n' : 'ng';
      if (token === 'v') {
        // व after a consonant is romanised "w" (Paswan, Dwivedi, Biswas, Swapan), else "v".
        const before = itrans[offset - 1] ?? '';
        return /[a-zA-Z]/.test(before) && !ITRANS_VOWELS.has(before) && before !== 'M' ? 'w' : 'v';
      }
      return ITRANS_PLAIN[token] ?? ' ';
    })
    .toLowerCase()
    .replace(/ngg/g, 'ng');
}

/**
 * The anusvara is spelled by the sound it takes before the next consonant: "m" before labials
 * (चंपा Champa), "n" before velars (गंगा Ganga, पंकज Pankaj) and dentals, "ng" at the end or
 * before h (सिंह Singh). Bengali ং is "ng" before anything but a labial or velar (বাংলা Bangla).
 */
function anusvara(next: string, script: IndicScript): string {
  if (next === 'p' || next === 'b' || next === 'm') return 'm';
  if (next === 'k' || next === 'g' || next === 'q' || next === 'K' || next === 'G') return 'n';
  if (next === 'h' || !/[a-zA-Z~.]/.test(next)) return 'ng';
  return script === 'bengali' ? 'ng' : 'n';
}
