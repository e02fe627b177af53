// Identifying marks as written ("mole on left cheek", "বাঁ গালে তিল", "बाएं गाल पर तिल",
// "देब्रे गालामा कोठी") → language-independent concepts: the kind of mark, kind@part and
// kind@part@side, so the same mark described in four languages gives the same ids. Words come
// from data/mark-concepts.json; Bengali and Hindi/Nepali inflections are stripped by suffix
// (গালে = গাল + ে) before lookup.
import markData from './data/mark-concepts.json' with { type: 'json' };

type Category = 'kind' | 'part' | 'side';
type Concept = { category: Category; id: string };
/** A concept named by two words together anywhere in a clause (ভাঙা+দাঁত, six+finger). */
type Compound = Concept & { words: string[] };

const GENERIC_KIND = markData.genericKind;
/** Kinds that name their own place (a missing front tooth, a squint, a stammer). */
export const SELF_PLACED_KINDS: ReadonlySet<string> = new Set(markData.selfPlaced);

const WORDS = new Map<string, Concept>();
const COMPOUNDS: Compound[] = [];
const categories: [Category, Record<string, string[]>][] = [
  ['kind', markData.kinds],
  ['part', markData.parts],
  ['side', markData.sides],
];
for (const [category, concepts] of categories) {
  for (const [id, words] of Object.entries(concepts)) {
    for (const word of words) {
      if (word.includes('+')) COMPOUNDS.push({ category, id, words: word.split('+').map(normaliseWord) });
      else WORDS.set(normaliseWord(word), { category, id });
    }
  }
}
// Compounds come first: they claim their words before the words alone are looked up. Kinds
// are listed before parts, so "বুড়ো+আঙুল" (a part compound) only applies if no kind took আঙুল.
const SUFFIXES = {
  latin: longestFirst(markData.suffixes.latin),
  bengali: longestFirst(markData.suffixes.bengali.map(normaliseWord)),
  devanagari: longestFirst(markData.suffixes.devanagari.map(normaliseWord)),
};
const SEPARATORS = new Set(markData.separators.map(normaliseWord));
const NEGATIONS = new Set(markData.negations.map(normaliseWord));

function longestFirst(words: string[]): string[] {
  return [...words].sort((a, b) => b.length - a.length);
}

/**
 * Mark text is compared lower-case and NFC, without nukta (ঘাড় = ঘাড, लंगड़ा = लंगडा) and with
 * the Devanagari candrabindu written as anusvara (आँख = आंख), the two ways people type them.
 */
function normaliseWord(word: string): string {
  return word
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u093c\u09bc\u200b-\u200d]/g, '')
    .replace(/\u0901/g, '\u0902');
}

/** The word and the stems it may be an inflection of. */
function stemsOf(word: string): string[] {
  const stems = [word];
  const code = word.charCodeAt(0);
  const suffixes =
    code >= 0x0980 && code <= 0x09ff
      ? SUFFIXES.bengali
      : code >= 0x0900 && code <= 0x097f
        ? SUFFIXES.devanagari
        : SUFFIXES.latin;
  for (const suffix of suffixes) {
    if (word.length > suffix.length && word.endsWith(suffix)) stems.push(word.slice(0, -suffix.length));
  }
  return stems;
}

type Clause = { kinds: string[]; parts: string[]; sides: string[] };

function listOf(clause: Clause, category: Category): string[] {
  if (category === 'kind') return clause.kinds;
  return category === 'part' ? clause.parts : clause.sides;
}

function readClause(words: string[][]): Clause {
  const clause: Clause = { kinds: [], parts: [], sides: [] };
  const used = new Set<number>();
  const add = (list: string[], id: string) => {
    if (!list.includes(id)) list.push(id);
  };
  for (const compound of COMPOUNDS) {
    const claimed: number[] = [];
    for (const part of compound.words) {
      const at = words.findIndex((stems, i) => !used.has(i) && !claimed.includes(i) && stems.includes(part));
      if (at < 0) break;
      claimed.push(at);
    }
    if (claimed.length !== compound.words.length) continue;
    for (const i of claimed) used.add(i);
    add(listOf(clause, compound.category), compound.id);
  }
  words.forEach((stems, i) => {
    if (used.has(i)) return;
    const concept = stems.map((stem) => WORDS.get(stem)).find((found) => found !== undefined);
    if (concept) add(listOf(clause, concept.category), concept.id);
  });
  // "burn mark", "জন্ম দাগ": the generic word only says it is a mark.
  if (clause.kinds.length > 1) clause.kinds = clause.kinds.filter((kind) => kind !== GENERIC_KIND);
  // "no identifying marks", "কোনো দাগ নেই": a denied generic mark is no mark.
  const onlyGeneric = clause.kinds.length === 1 && clause.kinds[0] === GENERIC_KIND;
  if (onlyGeneric && clause.parts.length === 0 && words.some((stems) => NEGATIONS.has(stems[0] as string))) {
    clause.kinds = [];
  }
  return clause;
}

function clausesOf(text: string): Clause[] {
  const clauses: Clause[] = [];
  for (const piece of normaliseWord(text).split(/[,;.!?|\n\r।॥()]+/)) {
    let words: string[][] = [];
    for (const match of piece.matchAll(/[\p{L}\p{M}\p{N}]+/gu)) {
      const word = match[0];
      if (SEPARATORS.has(word)) {
        clauses.push(readClause(words));
        words = [];
      } else {
        words.push(stemsOf(word));
      }
    }
    clauses.push(readClause(words));
  }
  return clauses.filter((clause) => clause.kinds.length + clause.parts.length > 0);
}

/** Concepts in marks: e.g. ['mole','mole@cheek','mole@cheek@left','scar@forehead'] —
 *  kind, kind@part, kind@part@side for each mark text; language-independent ids. */
export function markConcepts(texts: string[]): string[] {
  const concepts = new Set<string>();
  for (const text of texts) {
    const clauses = clausesOf(text);
    clauses.forEach((clause, index) => {
      // "mole on the cheek and chin", "left cheek and forehead: scars": a clause naming only a
      // body part takes the kind of the clause before it, else the one after, else 'mark'.
      const kinds =
        clause.kinds.length > 0
          ? clause.kinds
          : (clauses
              .slice(0, index)
              .reverse()
              .find((other) => other.kinds.length > 0)?.kinds ??
            clauses.slice(index + 1).find((other) => other.kinds.length > 0)?.kinds ?? [GENERIC_KIND]);
      for (const kind of kinds) {
        concepts.add(kind);
        for (const part of clause.parts) {
          concepts.add(`${kind}@${part}`);
          for (const side of clause.sides) concepts.add(`${kind}@${part}@${side}`);
        }
      }
    });
  }
  return [...concepts];
}
