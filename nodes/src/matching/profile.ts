// What the matching engine knows about one report: the fields it compares, taken from a case of
// this node, a line of an interchange file, or a summary received from another node. Absent
// fields are unknown, never "different".

export type MatchSide = 'missing' | 'found';
export type MatchSex = 'female' | 'male' | 'other' | 'unknown';

/** Age in years at the report's event date: exact (min = max, not estimated) or an estimate. */
export type AgeRange = { min: number; max: number; estimated: boolean };

export type MatchPlace = { country: string; state?: string | undefined; district?: string | undefined };

export type MatchProfile = {
  /** Case id at a node, the file's `id` in `khoj match run`, or a foreign summary's case id. */
  id: string;
  side: MatchSide;
  sex: MatchSex;
  /** The name first, then aliases and pet names, as written (any script, NFC). */
  names: string[];
  guardianNames: string[];
  age?: AgeRange | undefined;
  /** YYYY-MM-DD: last seen (missing) or found (found). */
  eventDate: string;
  place: MatchPlace;
  /** ISO 639 codes. */
  languages: string[];
  /** Identifying marks as written, any language. */
  marks: string[];
  heightCm?: number | undefined;
};
