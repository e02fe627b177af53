// Brahmic-script words made ready for transliteration. Bengali/Assamese letters are moved onto
// the Devanagari block (both blocks follow the ISCII layout, 0x80 apart), nukta letters are
// composed to the code points sanscript knows, and the inherent vowels a speaker does not
// pronounce (schwa deletion) are cancelled with a virama, so that রাহুল and राहुल both reach
// sanscript as राहुल् and come out "rAhul", not "rAhula".

export type IndicScript = 'devanagari' | 'bengali';

const BENGALI_OFFSET = 0x80;
const VIRAMA = 0x094d;
const NUKTA = 0x093c;
const BENGALI_VIRAMA = 0x09cd;
const BENGALI_NUKTA = 0x09bc;
const DEVANAGARI_JA = 0x091c;
const DEVANAGARI_YA = 0x092f;

/** Devanagari letter + nukta → the precomposed letter that sanscript's schemes list (क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़). */
const NUKTA_FORMS = new Map<number, number>([
  [0x0915, 0x0958],
  [0x0916, 0x0959],
  [0x0917, 0x095a],
  [0x091c, 0x095b],
  [0x0921, 0x095c],
  [0x0922, 0x095d],
  [0x092b, 0x095e],
  [0x092f, 0x095f],
]);

/** Letters sanscript's ITRANS scheme leaves untouched, written as the nearest letter it knows. */
const LOAN_LETTERS = new Map<number, string>([
  [0x0911, '\u0913'], // ऑ (English "o" in loans) → ओ
  [0x0949, '\u094b'], // ॉ → ो
  [0x090d, '\u090f'], // ऍ → ए
  [0x0945, '\u0947'], // ॅ → े
  [0x090e, '\u090f'], // ऎ → ए
  [0x0946, '\u0947'], // ॆ → े
  [0x0912, '\u0913'], // ऒ → ओ
  [0x094a, '\u094b'], // ॊ → ो
  [0x095d, '\u095c\u094d\u0939'], // ढ़ → ड़्ह (rh): ITRANS has no ढ़
  [0x0972, '\u0905'], // ॲ → अ
]);

export function indicScriptOf(code: number): IndicScript | undefined {
  if (code >= 0x0900 && code <= 0x097f) return 'devanagari';
  if (code >= 0x0980 && code <= 0x09ff) return 'bengali';
  return undefined;
}

/**
 * One word of Devanagari or Bengali/Assamese script → Devanagari with nukta letters composed,
 * unpronounced inherent vowels cancelled and loan letters replaced.
 */
export function prepareIndicWord(word: string, script: IndicScript): string {
  const codes = script === 'bengali' ? bengaliToDevanagari(word) : composeNukta(codesOf(word));
  const withSchwaDeleted = deleteSchwas(codes);
  let out = '';
  for (const code of withSchwaDeleted) out += LOAN_LETTERS.get(code) ?? String.fromCharCode(code);
  return out;
}

function codesOf(word: string): number[] {
  const codes: number[] = [];
  for (let i = 0; i < word.length; i++) codes.push(word.charCodeAt(i));
  return codes;
}

function composeNukta(codes: number[]): number[] {
  const out: number[] = [];
  for (const code of codes) {
    if (code === NUKTA) {
      const composed = NUKTA_FORMS.get(out.at(-1) ?? 0);
      if (composed !== undefined) out[out.length - 1] = composed;
      // A nukta on any other letter only marks a foreign sound sanscript cannot write: dropped.
      continue;
    }
    out.push(code);
  }
  return out;
}

function bengaliToDevanagari(word: string): number[] {
  const codes = codesOf(word);
  const out: number[] = [];
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    switch (code) {
      case 0x09f0: // Assamese ৰ (ra)
        out.push(0x0930);
        break;
      case 0x09f1: // Assamese ৱ (wa)
        out.push(0x0935);
        break;
      case 0x09ce: // ৎ khanda ta: a dead t
        out.push(0x0924, VIRAMA);
        break;
      case 0x09dc: // precomposed ড় ঢ় য় (NFC decomposes them, but accept them anyway)
      case 0x09dd:
      case 0x09df:
        out.push(code - BENGALI_OFFSET);
        break;
      case 0x09ab: // ফ is "f" in most Bengali names (Fatema, Farida, Prafulla)
        out.push(0x095e);
        break;
      case 0x09ac: // ব after a virama is the ba-phala (বিশ্বাস Biswas, স্বপন Swapan): व, romanised "w"
        out.push(codes[i - 1] === BENGALI_VIRAMA ? 0x0935 : 0x092c);
        break;
      case 0x0987: {
        // Word-initial ই before য় or উ spells a "y" (ইয়াসমিন Yasmin, ইউসুফ Yusuf).
        const next = codes[i + 1];
        if (i === 0 && next === 0x09af && codes[i + 2] === BENGALI_NUKTA) break;
        if (i === 0 && (next === 0x0989 || next === 0x098a)) {
          out.push(DEVANAGARI_YA, next === 0x0989 ? 0x0941 : 0x0942);
          i++;
          break;
        }
        out.push(0x0907);
        break;
      }
      case 0x09af: {
        // ও/ো + য় + vowel spells "w" (ওয়াহিদ Wahid, আনোয়ার Anowar, পাসওয়ান Paswan).
        const afterO = codes[i - 1] === 0x0993 || codes[i - 1] === 0x09cb;
        if (afterO && codes[i + 1] === BENGALI_NUKTA && isBengaliVowelSign(codes[i + 2] ?? 0)) {
          if (codes[i - 1] === 0x0993) out.pop();
          out.push(0x0935);
          i++;
          break;
        }
        // য is pronounced and romanised "j" (যমুনা Jamuna) except as the ya-phala after a
        // virama (সত্য satya) or with a nukta (য় = ya).
        const afterVirama = codes[i - 1] === BENGALI_VIRAMA;
        const withNukta = codes[i + 1] === BENGALI_NUKTA;
        out.push(afterVirama || withNukta ? DEVANAGARI_YA : DEVANAGARI_JA);
        break;
      }
      default:
        out.push(code >= 0x0980 && code <= 0x09ff ? code - BENGALI_OFFSET : code);
    }
  }
  return composeNukta(out);
}

function isBengaliVowelSign(code: number): boolean {
  return code >= 0x09be && code <= 0x09cc;
}

type Unit = {
  /** Index of the consonant in the code array; -1 for an independent vowel. */
  consonantAt: number;
  vowel: 'schwa' | 'explicit' | 'none';
  /** Followed by anusvara, candrabindu or visarga: a closed syllable keeps its vowel. */
  coda: boolean;
};

function isConsonant(code: number): boolean {
  return (code >= 0x0915 && code <= 0x0939) || (code >= 0x0958 && code <= 0x095f);
}

function isVowelSign(code: number): boolean {
  return (code >= 0x093e && code <= 0x094c) || code === 0x0962 || code === 0x0963;
}

function isIndependentVowel(code: number): boolean {
  return (code >= 0x0904 && code <= 0x0914) || code === 0x0960 || code === 0x0961 || code === 0x0972;
}

function isCoda(code: number): boolean {
  return code >= 0x0901 && code <= 0x0903;
}

/**
 * Hindi/Bengali schwa deletion (after Ohala): the word-final inherent vowel goes unless it
 * follows a conjunct (कृष्ण Krishna, চন্দ্র Chandra) or the word has one syllable; a medial one
 * goes between a vowel-bearing syllable and a consonant+vowel (देबनाथ → देब्नाथ, कमला → कम्ला),
 * scanning right to left so two neighbouring schwas are never both deleted.
 */
function deleteSchwas(codes: number[]): number[] {
  const units: Unit[] = [];
  let i = 0;
  while (i < codes.length) {
    const code = codes[i] as number;
    let unit: Unit | undefined;
    if (isConsonant(code)) {
      unit = { consonantAt: i, vowel: 'schwa', coda: false };
      i++;
      const next = codes[i] ?? 0;
      if (next === VIRAMA) {
        unit.vowel = 'none';
        i++;
      } else if (isVowelSign(next)) {
        unit.vowel = 'explicit';
        i++;
      }
    } else if (isIndependentVowel(code)) {
      unit = { consonantAt: -1, vowel: 'explicit', coda: false };
      i++;
    } else {
      i++;
      continue;
    }
    while (i < codes.length && isCoda(codes[i] as number)) {
      unit.coda = true;
      i++;
    }
    units.push(unit);
  }

  const deleted = new Set<number>();
  const voiced = units.filter((unit) => unit.vowel !== 'none').length;
  const last = units.length - 1;
  const final = units[last];
  const beforeFinal = units[last - 1];
  if (final && beforeFinal && voiced >= 2 && final.vowel === 'schwa' && !final.coda) {
    if (beforeFinal.vowel !== 'none') deleted.add(last);
  }
  const hasVowel = (k: number) => {
    const unit = units[k];
    return unit !== undefined && unit.vowel !== 'none' && !deleted.has(k);
  };
  for (let k = last - 1; k >= 1; k--) {
    const unit = units[k] as Unit;
    const next = units[k + 1] as Unit;
    if (unit.vowel !== 'schwa' || unit.coda || deleted.has(k)) continue;
    if (hasVowel(k - 1) && next.consonantAt >= 0 && hasVowel(k + 1)) deleted.add(k);
  }
  if (deleted.size === 0) return codes;

  const viramaAfter = new Set([...deleted].map((k) => (units[k] as Unit).consonantAt));
  const out: number[] = [];
  for (let j = 0; j < codes.length; j++) {
    out.push(codes[j] as number);
    if (viramaAfter.has(j)) out.push(VIRAMA);
  }
  return out;
}
