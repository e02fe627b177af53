// Child names and guardian names, compared token by token. A name is a handful of tokens in any
// order ("Debnath Rahul" is "Rahul Debnath"); a token is a surname when the text module knows its
// surname class and the name has other tokens, otherwise the last of two or more tokens is one.
// Tokens of the two names are paired off strongest first (same latin spelling, then same phonetic
// key or surname class, then similar spelling), and the level says which parts agree. Every name
// on one report is compared with every name on the other (aliases, other scripts, pet names) and
// the best wins.
import { jaroWinkler, type NameToken, parseName } from '../text/index.ts';
import { type Detail, FIELD_LEVELS, type FieldComparison, levelOnly } from './fields.ts';

export type PreparedName = {
  written: string;
  tokens: NameToken[];
  /** Token index → whether it is taken for a surname. */
  surname: boolean[];
  /** The latin tokens sorted: equal for the same name in any order. */
  sortedLatin: string;
};

/** Jaro–Winkler similarity of latin spellings from which two tokens count as similar. */
export const FUZZY_THRESHOLD = 0.88;
/** Shorter tokens (initials, "md") are too short for spelling similarity to mean anything. */
const FUZZY_MIN_LENGTH = 3;

export function prepareNames(names: readonly string[]): PreparedName[] {
  const prepared: PreparedName[] = [];
  for (const written of names) {
    const tokens = parseName(written);
    if (tokens.length === 0) continue;
    // Some given names are also family names (Nasrin, Akter): when every token has a surname
    // class, or none has, position decides — the last of two or more tokens is the surname.
    const known = tokens.map((token) => token.surnameClass !== undefined);
    const surname =
      known.some(Boolean) && !known.every(Boolean)
        ? known
        : tokens.map((_, i) => tokens.length >= 2 && i === tokens.length - 1);
    const sortedLatin = tokens
      .map((token) => token.latin)
      .sort()
      .join(' ');
    prepared.push({ written, tokens, surname, sortedLatin });
  }
  return prepared;
}

type Agreement = 'exact' | 'phonetic' | 'class' | 'fuzzy';
type TokenPair = { a: number; b: number; agreement: Agreement; similarity: number };

const STRENGTH: Record<Agreement, number> = { exact: 3, class: 2, phonetic: 2, fuzzy: 1 };

/** The base levels two names can reach before pet names are considered. */
type BaseLevel =
  | 'exact_full'
  | 'surname_class+given_phonetic'
  | 'given_phonetic'
  | 'given_fuzzy'
  | 'given_phonetic+surname_different'
  | 'different';

type NamePairResult = {
  level: BaseLevel;
  /** The token pairs the level rests on. */
  agreeing: TokenPair[];
  surnames?: { a: number; b: number } | undefined;
};

type Found = { readonly agreement: Agreement; readonly similarity: number };
// Shared: agreementOf runs for every token pair of every compared pair.
const EXACT: Found = { agreement: 'exact', similarity: 1 };
const PHONETIC: Found = { agreement: 'phonetic', similarity: 1 };
const CLASS: Found = { agreement: 'class', similarity: 1 };

function agreementOf(a: NameToken, b: NameToken): Found | undefined {
  if (a.latin === b.latin) return EXACT;
  if (a.phonetic !== '' && a.phonetic === b.phonetic) return PHONETIC;
  if (a.surnameClass !== undefined && a.surnameClass === b.surnameClass) return CLASS;
  if (a.latin.length < FUZZY_MIN_LENGTH || b.latin.length < FUZZY_MIN_LENGTH) return undefined;
  const similarity = similarityOf(a.latin, b.latin);
  return similarity >= FUZZY_THRESHOLD ? { agreement: 'fuzzy', similarity } : undefined;
}

// Jaro–Winkler is the costliest step of a comparison, and a node's names repeat: remembered per
// pair of spellings, bounded like the text module's caches.
const similarities = new Map<string, Map<string, number>>();
let remembered = 0;
const SIMILARITY_CACHE_LIMIT = 200_000;

function similarityOf(a: string, b: string): number {
  let row = similarities.get(a);
  const known = row?.get(b);
  if (known !== undefined) return known;
  const similarity = jaroWinkler(a, b);
  if (remembered >= SIMILARITY_CACHE_LIMIT) {
    similarities.clear();
    remembered = 0;
    row = undefined;
  }
  if (!row) {
    row = new Map();
    similarities.set(a, row);
  }
  row.set(b, similarity);
  remembered++;
  return similarity;
}

/** Pairs tokens off greedily, strongest agreement first, each token used once. */
function alignTokens(a: PreparedName, b: PreparedName): TokenPair[] {
  const candidates: TokenPair[] = [];
  for (let i = 0; i < a.tokens.length; i++) {
    for (let j = 0; j < b.tokens.length; j++) {
      const found = agreementOf(a.tokens[i] as NameToken, b.tokens[j] as NameToken);
      if (found) candidates.push({ a: i, b: j, agreement: found.agreement, similarity: found.similarity });
    }
  }
  if (candidates.length <= 1) return candidates;
  candidates.sort(
    (x, y) => STRENGTH[y.agreement] - STRENGTH[x.agreement] || y.similarity - x.similarity || x.a - y.a,
  );
  // Token indexes taken so far (plain arrays: two Sets per compared name cost more than the rest).
  const usedA: boolean[] = [];
  const usedB: boolean[] = [];
  const pairs: TokenPair[] = [];
  for (const pair of candidates) {
    if (usedA[pair.a] || usedB[pair.b]) continue;
    usedA[pair.a] = true;
    usedB[pair.b] = true;
    pairs.push(pair);
  }
  return pairs;
}

function compareNamePair(a: PreparedName, b: PreparedName): NamePairResult {
  const pairs = alignTokens(a, b);
  // One given name on each side ("Tarun" / "Tarun") is a given-name agreement, not a full name:
  // found children often give the given name only, and a one-word name is as common as one word.
  const oneWord = a.tokens.length < 2 || b.tokens.length < 2;
  if (a.sortedLatin === b.sortedLatin)
    return { level: oneWord ? 'given_phonetic' : 'exact_full', agreeing: pairs };
  // A surname spelt differently (Mahato / Mahto, or romanised from another script) still agrees:
  // surnames vary in spelling far more than given names, and a family has one surname.
  const isSurnamePair = (pair: TokenPair) => a.surname[pair.a] === true && b.surname[pair.b] === true;
  const strong = pairs.filter((pair) => pair.agreement !== 'fuzzy' || isSurnamePair(pair));
  // Every token on both sides agrees, in whatever order: the full name, spelled differently.
  if (strong.length === a.tokens.length && strong.length === b.tokens.length) {
    return {
      level: a.tokens.length >= 2 ? 'surname_class+given_phonetic' : 'given_phonetic',
      agreeing: strong,
    };
  }
  // A token pair is about the given name unless both tokens are taken for surnames.
  const isGiven = (pair: TokenPair) => !(a.surname[pair.a] && b.surname[pair.b]);
  const givenStrong = strong.filter(isGiven);
  const surnameAgree = strong.find((pair) => !isGiven(pair));
  const hasSurnameA = a.surname.some(Boolean);
  const hasSurnameB = b.surname.some(Boolean);
  const surnames =
    hasSurnameA && hasSurnameB ? { a: a.surname.indexOf(true), b: b.surname.indexOf(true) } : undefined;

  if (givenStrong.length > 0) {
    if (surnameAgree) {
      return { level: 'surname_class+given_phonetic', agreeing: [...givenStrong, surnameAgree] };
    }
    if (!surnames) return { level: 'given_phonetic', agreeing: givenStrong };
    return { level: 'given_phonetic+surname_different', agreeing: givenStrong, surnames };
  }
  const givenFuzzy = pairs.filter((pair) => pair.agreement === 'fuzzy' && isGiven(pair));
  if (givenFuzzy.length > 0 && (surnameAgree || !surnames)) {
    return { level: 'given_fuzzy', agreeing: surnameAgree ? [...givenFuzzy, surnameAgree] : givenFuzzy };
  }
  return { level: 'different', agreeing: [] };
}

const NAME_RANK = new Map<string, number>(FIELD_LEVELS.name.map((level, rank) => [level, rank]));
const GUARDIAN_RANK = new Map<string, number>(FIELD_LEVELS.guardian.map((level, rank) => [level, rank]));

type Best = { level: string; a: PreparedName; b: PreparedName; result: NamePairResult };

/** The child's names: missing report's names × found report's names, best level wins. */
export function compareChildNames(
  missing: PreparedName[],
  found: PreparedName[],
  detail: Detail = 'describe',
): FieldComparison {
  const field = 'name';
  if (missing.length === 0 || found.length === 0) {
    return {
      field,
      level: 'unknown',
      detail: `no name on the ${missing.length === 0 ? 'missing' : 'found'} report`,
    };
  }
  let best: Best | undefined;
  for (const a of missing) {
    for (const b of found) {
      const result = compareNamePair(a, b);
      const level = withPetNames(result, a, b);
      if (!best || rank(NAME_RANK, level) < rank(NAME_RANK, best.level)) best = { level, a, b, result };
    }
  }
  if (!best || best.level === 'different') {
    const petOnly = allPetNames(found) ? found : allPetNames(missing) ? missing : undefined;
    if (petOnly) {
      if (detail === 'level-only') return levelOnly(field, 'pet_name_only');
      const side = petOnly === found ? 'found' : 'missing';
      return {
        field,
        level: 'pet_name_only',
        detail: `the ${side} report has only a pet name (${petOnly.map((name) => name.written).join(', ')}), not on the other report`,
      };
    }
    if (detail === 'level-only') return levelOnly(field, 'different');
    return {
      field,
      level: 'different',
      detail: `no name in common: ${listNames(missing)} / ${listNames(found)}`,
    };
  }
  return {
    field,
    level: best.level,
    detail: detail === 'level-only' ? '' : describeNames(best, 'name'),
    frequencyKeys: frequencyKeys(best),
  };
}

/** Guardians: the same comparison, on a shorter ladder and without pet names. */
export function compareGuardianNames(
  missing: PreparedName[],
  found: PreparedName[],
  detail: Detail = 'describe',
): FieldComparison {
  const field = 'guardian';
  if (missing.length === 0 || found.length === 0) {
    return {
      field,
      level: 'unknown',
      detail: `no guardian name on the ${missing.length === 0 ? 'missing' : 'found'} report`,
    };
  }
  let best: Best | undefined;
  for (const a of missing) {
    for (const b of found) {
      const result = compareNamePair(a, b);
      const level = GUARDIAN_LEVEL[result.level];
      if (!best || rank(GUARDIAN_RANK, level) < rank(GUARDIAN_RANK, best.level))
        best = { level, a, b, result };
    }
  }
  if (detail === 'level-only') return levelOnly(field, best?.level ?? 'different');
  if (!best || best.level === 'different') {
    return {
      field,
      level: 'different',
      detail: `no guardian name in common: ${listNames(missing)} / ${listNames(found)}`,
    };
  }
  return { field, level: best.level, detail: describeNames(best, 'guardian') };
}

const GUARDIAN_LEVEL: Record<BaseLevel, string> = {
  exact_full: 'exact',
  'surname_class+given_phonetic': 'phonetic',
  given_phonetic: 'phonetic',
  given_fuzzy: 'fuzzy',
  // A guardian named with another surname is more likely another person than a child's slip.
  'given_phonetic+surname_different': 'different',
  different: 'different',
};

/**
 * A level resting only on pet names ("Munni", "Bablu": a pet name on one side equal to a name or
 * alias on the other) says much less than one resting on a formal name: thousands of girls are
 * called Munni at home.
 */
function withPetNames(result: NamePairResult, a: PreparedName, b: PreparedName): string {
  // Spelling similarity and a conflicting surname stay what they are: a pet name does not lift them.
  if (result.level === 'different' || result.level === 'given_fuzzy') return result.level;
  if (result.level === 'given_phonetic+surname_different') return result.level;
  const restsOnPetNames = result.agreeing.every(
    (pair) => a.tokens[pair.a]?.petName === true || b.tokens[pair.b]?.petName === true,
  );
  return restsOnPetNames && result.agreeing.length > 0 ? 'alias_or_pet_name' : result.level;
}

function allPetNames(names: PreparedName[]): boolean {
  return names.every((name) => name.tokens.every((token) => token.petName));
}

function rank(ranks: Map<string, number>, level: string): number {
  return ranks.get(level) ?? Number.MAX_SAFE_INTEGER;
}

/** One entry per exact or phonetic agreement: the keys whose frequency says how common it is. */
function frequencyKeys({ a, b, result }: Best): string[][] {
  const keys: string[][] = [];
  for (const pair of result.agreeing) {
    if (pair.agreement === 'fuzzy') continue;
    const x = a.tokens[pair.a]?.phonetic;
    const y = b.tokens[pair.b]?.phonetic;
    if (!x || !y) continue;
    keys.push(x === y ? [x] : [x, y]);
  }
  return keys;
}

const AGREEMENT_TEXT: Record<Agreement, (x: string, y: string, similarity: number) => string> = {
  exact: (x, y) => `${x} = ${y}`,
  phonetic: (x, y) => `${x} ≈ ${y} (same phonetic key)`,
  class: (x, y) => `${x} ≈ ${y} (same surname class)`,
  fuzzy: (x, y, similarity) => `${x} ~ ${y} (similar spelling, ${similarity.toFixed(2)})`,
};

function describeNames({ level, a, b, result }: Best, subject: 'name' | 'guardian'): string {
  if (result.level === 'exact_full') {
    const prefix =
      level === 'alias_or_pet_name' ? 'pet name' : subject === 'guardian' ? 'guardian' : 'same name';
    return `${prefix}: ${a.written} = ${b.written}`;
  }
  const parts = result.agreeing.map((pair) => {
    const x = a.tokens[pair.a] as NameToken;
    const y = b.tokens[pair.b] as NameToken;
    const role =
      level === 'alias_or_pet_name' && (x.petName || y.petName)
        ? 'pet name'
        : a.surname[pair.a] && b.surname[pair.b]
          ? 'surname'
          : 'given name';
    const who = subject === 'guardian' ? `guardian ${role}` : role;
    return `${who} ${AGREEMENT_TEXT[pair.agreement](display(x), display(y), pair.similarity)}`;
  });
  if (result.level === 'given_phonetic' && a.tokens.length !== b.tokens.length) {
    parts.push(`surname on one side only (${a.written} / ${b.written})`);
  }
  if (result.surnames) {
    const x = a.tokens[result.surnames.a] as NameToken;
    const y = b.tokens[result.surnames.b] as NameToken;
    parts.push(`surnames differ: ${display(x)} / ${display(y)}`);
  }
  return parts.join('; ');
}

/** As written, with the latin reading when written in another script. */
function display(token: NameToken): string {
  return /^[\p{Script=Latin}\p{M}\s.'-]*$/u.test(token.written)
    ? token.written
    : `${token.written} (${token.latin})`;
}

function listNames(names: PreparedName[]): string {
  return names.map((name) => name.written).join(', ');
}
