// Jaro–Winkler string similarity (Winkler 1990): the Jaro similarity of matching characters
// and transpositions, raised for a common prefix of up to four characters with the standard
// scaling factor 0.1. Used on latin or phonetic forms of name tokens.

const PREFIX_SCALE = 0.1;
const MAX_PREFIX = 4;

/** Jaro–Winkler similarity 0..1 of two strings (use on latin or phonetic forms). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const jaro = jaroSimilarity(a, b);
  let prefix = 0;
  const limit = Math.min(MAX_PREFIX, a.length, b.length);
  while (prefix < limit && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * PREFIX_SCALE * (1 - jaro);
}

// Which characters are matched, reused across calls: the scorer compares millions of token pairs,
// and a pair of fresh typed arrays per call cost more than the comparison itself.
let matchedA = new Uint8Array(32);
let matchedB = new Uint8Array(32);

function jaroSimilarity(a: string, b: string): number {
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  if (matchedA.length < a.length) matchedA = new Uint8Array(a.length * 2);
  if (matchedB.length < b.length) matchedB = new Uint8Array(b.length * 2);
  matchedA.fill(0, 0, a.length);
  matchedB.fill(0, 0, b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (matchedB[j] === 1 || a[i] !== b[j]) continue;
      matchedA[i] = 1;
      matchedB[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  // Half the number of matched characters that appear in a different order.
  let outOfOrder = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    if (matchedA[i] !== 1) continue;
    while (matchedB[j] !== 1) j++;
    if (a[i] !== b[j]) outOfOrder++;
    j++;
  }
  const transpositions = outOfOrder / 2;
  return (matches / a.length + matches / b.length + (matches - transpositions) / matches) / 3;
}
