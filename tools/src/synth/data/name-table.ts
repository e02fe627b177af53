// The shape of the generator's name lists and the small parser for the compact tables they are
// written in. One line per name:  `Latin/Other Latin | বাংলা | देवनागरी | weight`
// — romanisations (first = the commonest), the name in Bengali–Assamese script, in Devanagari,
// and a relative frequency (default 1). `-` leaves a script out; `/` separates variants.
// These lists were written for the benchmark alone; see ../README.md for how they are kept apart
// from the matching engine's.

export interface NameForm {
  /** Romanisations, commonest first: Lakshmi, Laxmi, Lokkhi. */
  readonly latin: readonly string[];
  /** Bengali–Assamese script spellings, as a writer of that script would spell them. */
  readonly bengali: readonly string[];
  readonly devanagari: readonly string[];
  readonly weight: number;
}

export function nameTable(text: string): NameForm[] {
  const forms: NameForm[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [latin = '', bengali = '-', devanagari = '-', weight = '1'] = line
      .split('|')
      .map((cell) => cell.trim());
    const variants = (cell: string) =>
      cell === '-' || cell === '' ? [] : cell.split('/').map((variant) => variant.trim().normalize('NFC'));
    const form = {
      latin: variants(latin),
      bengali: variants(bengali),
      devanagari: variants(devanagari),
      weight: Number(weight),
    };
    if (form.latin.length === 0 || !(form.weight > 0)) throw new Error(`bad name table line: ${line}`);
    forms.push(form);
  }
  return forms;
}
