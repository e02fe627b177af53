// A phonetic key for South-Asian names written in Latin letters (the output of toLatin), so that
// the spellings one name gets from different clerks and schemes agree: Mohammad / Muhammad /
// Mohammed, Lakshmi / Laxmi, Debnath / Devnath, Khatun / Khatoon, Bijoy / Bijay / Vijay.
//
// Consonants: aspirates fold to the plain stop (kh→k, chh/ch→c, th→t, dh→d, bh→b, ph/f→p),
// sh/s→s, v/w/b→b, z/j→j (and a word-initial y before a vowel: Yadav = যাদব "jadab"), q→k,
// x→ks; doubled consonants collapse (Bappa = Bapa). A y between vowels is a glide and joins them
// (Ayesha = Aisha, Nayak = Naik, মরিয়ম = Moriom).
// Vowels are where romanisations disagree most, so only their skeleton is kept:
//   first vowel    'i' for front vowels (i, e, ee, y, ai, ei, oy: Reena = Rina), else 'a'
//                  (a, o, u, au: Mohammad = Muhammad, Sumon = Suman);
//   middle vowels  'i' for i/ee/y, else 'a' (unstressed e, a, o, u alternate: Ahmed = Ahmad);
//   final vowel    'i' for front vowels, 'u' for u/oo/w (Sahoo = Sahu), dropped for a/o, because the final
//                  inherent vowel comes and goes with the scheme (Subrata = সুব্রত "subrat").
// Surname variants that differ in more than spelling (Chatterjee = Chattopadhyay) are the
// surname class table's job, not this key's.
import abbreviationData from './data/name-abbreviations.json' with { type: 'json' };

const ABBREVIATIONS = new Map<string, string>(Object.entries(abbreviationData.abbreviations));

const DIGRAPHS: Record<string, string> = {
  ch: 'c',
  kh: 'k',
  gh: 'g',
  jh: 'j',
  th: 't',
  dh: 'd',
  ph: 'p',
  bh: 'b',
  sh: 's',
  zh: 'j',
  rh: 'r',
  ck: 'k',
};
const SINGLES: Record<string, string> = { f: 'p', v: 'b', w: 'b', z: 'j', q: 'k', x: 'ks' };
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

const keyCache = new Map<string, string>();
const KEY_CACHE_LIMIT = 100_000;

/** South-Asian phonetic key of one Latin word (output of toLatin). '' for empty. */
export function phoneticKey(latinWord: string): string {
  const cached = keyCache.get(latinWord);
  if (cached !== undefined) return cached;
  const words = latinWord.toLowerCase().split(/[^a-z0-9]+/);
  const key = words
    .filter((word) => word !== '')
    .map(wordKey)
    .join(' ');
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(latinWord, key);
  return key;
}

type Segment = { vowel: boolean; text: string };

function wordKey(written: string): string {
  // "Sumaiya" and "Sumaya", "Bhuiyan" and "Bhuyan": an i between a vowel and a "y" is silent.
  const word = (ABBREVIATIONS.get(written) ?? written).replace(/([aeiou])iy(?=[aeiou])/g, '$1y');
  const segments: Segment[] = [];
  const pushConsonant = (symbol: string) => {
    for (const letter of symbol) {
      const last = segments.at(-1);
      if (last && !last.vowel && last.text === letter) continue;
      segments.push({ vowel: false, text: letter });
    }
  };
  const pushVowel = (letter: string) => {
    const last = segments.at(-1);
    if (last?.vowel) last.text += letter;
    else segments.push({ vowel: true, text: letter });
  };

  let i = 0;
  while (i < word.length) {
    const letter = word[i] as string;
    const next = word[i + 1] ?? '';
    if (VOWELS.has(letter)) {
      pushVowel(letter);
      i++;
    } else if (letter === 'y' && i === 0 && VOWELS.has(next)) {
      pushConsonant('j'); // য is "j" in Bengali and Assamese: Yadav = যাদব "jadab", Yasmin = Jasmin
      i++;
    } else if (letter === 'y' && (!VOWELS.has(next) || VOWELS.has(word[i - 1] ?? ''))) {
      // Roy, Pinky, Joydeb: y as a vowel; and a glide between vowels, which one scheme writes
      // and another leaves out (Ayesha = Aisha, Nayak = Naik, Gayen = Gain, Priyanka = Prianka).
      pushVowel('y');
      i++;
    } else if (letter === 'w' && i > 0 && VOWELS.has(word[i - 1] ?? '') && !VOWELS.has(next)) {
      pushVowel('w'); // Chowdhury, Dawn: w closing a diphthong
      i++;
    } else if (word.startsWith('chh', i)) {
      pushConsonant('c');
      i += 3;
    } else if (DIGRAPHS[letter + next] !== undefined) {
      pushConsonant(DIGRAPHS[letter + next] as string);
      i += 2;
    } else if (letter === 'c') {
      pushConsonant(next === 'e' || next === 'i' || next === 'y' ? 's' : 'k'); // Cecil, Carol
      i++;
    } else {
      pushConsonant(SINGLES[letter] ?? letter);
      i++;
    }
  }

  let key = '';
  const vowelCount = segments.filter((segment) => segment.vowel).length;
  let seenVowels = 0;
  segments.forEach((segment, index) => {
    if (!segment.vowel) {
      key += segment.text;
      return;
    }
    seenVowels++;
    const front = /[iy]/.test(segment.text);
    if (index === segments.length - 1) {
      if (front || segment.text.includes('e')) key += 'i';
      else if (/[uw]|oo/.test(segment.text)) key += 'u';
    } else if (seenVowels === 1) {
      key += front || segment.text.includes('e') ? 'i' : 'a';
    } else {
      key += front || segment.text.includes('ee') ? 'i' : 'a';
    }
  });
  // A word of only a/o vowels ("o") still needs a key.
  return key === '' && vowelCount > 0 ? 'a' : key;
}
