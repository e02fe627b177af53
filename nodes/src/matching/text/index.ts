// Text matching: names and identifying marks written in Bengali, Assamese, Devanagari (Hindi,
// Nepali) or Latin script turned into comparable keys. Pure functions; the word lists are JSON
// files in data/.
export { jaroWinkler } from './jaro-winkler.ts';
export { markConcepts, SELF_PLACED_KINDS } from './marks.ts';
export { isPetName, latinName, type NameToken, parseName, surnameClass } from './names.ts';
export { phoneticKey } from './phonetic.ts';
export { toLatin } from './transliterate.ts';
