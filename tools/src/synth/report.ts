// The records the generator writes: exactly the interchange format's fields (see
// nodes/src/interchange/FORMAT.md), already in the normalised form the reader produces.

export interface SyntheticReport {
  id: string;
  kind: 'missing' | 'found';
  country: string;
  state?: string;
  district?: string;
  reportedAt: string;
  eventDate: string;
  name?: string;
  aliases?: string[];
  sex: 'female' | 'male' | 'other' | 'unknown';
  ageYears?: number;
  ageEstimateMin?: number;
  ageEstimateMax?: number;
  heightCm?: number;
  languages?: string[];
  guardianName?: string;
  identifyingMarks?: string[];
  notes?: string;
}

/** One line of truth.jsonl: the missing report a found report is really about, or null. */
export interface TruthRow {
  foundId: string;
  missingId: string | null;
}
