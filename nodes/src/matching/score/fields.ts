// The fields the matching engine compares and the levels each comparison can give, strongest
// agreement first. The level names are stored with candidates and model parameters, so they are
// part of the engine's contract: rename one only together with a parameters version bump.

export const FIELD_LEVELS = {
  name: [
    'exact_full',
    'surname_class+given_phonetic',
    'given_phonetic',
    'given_fuzzy',
    'alias_or_pet_name',
    'given_phonetic+surname_different',
    'pet_name_only',
    'different',
    'unknown',
  ],
  guardian: ['exact', 'phonetic', 'fuzzy', 'different', 'unknown'],
  sex: ['same', 'different', 'unknown'],
  age: ['inside', 'near', 'off_by_3_4', 'far', 'unknown'],
  time: [
    'found_after_soon',
    'found_after_months',
    'found_after_later',
    'found_after_long',
    'found_before',
    'unknown',
  ],
  place: ['same_district', 'same_state', 'near_100km', 'corridor', 'same_country', 'different', 'unknown'],
  languages: ['overlap', 'disjoint', 'unknown'],
  marks: [
    'same_mark_place_side',
    'same_mark_place',
    'same_mark_place_other_side',
    'same_kind',
    'same_kind_elsewhere',
    'none_in_common',
    'unknown',
  ],
  height: ['consistent', 'near', 'far', 'unknown'],
} as const;

export type FieldName = keyof typeof FIELD_LEVELS;
export type FieldLevel<F extends FieldName = FieldName> = (typeof FIELD_LEVELS)[F][number];

export const FIELD_NAMES = Object.keys(FIELD_LEVELS) as FieldName[];

/** Every field has this level; it carries no evidence either way (m = u). */
export const UNKNOWN = 'unknown';

/**
 * One field of one pair. `detail` is for people ("surname Debnath ≈ Devnath (same phonetic
 * key)"). `frequencyKeys` (names only): the phonetic keys behind an exact or phonetic agreement,
 * one entry per agreeing token pair, so the score can weigh a common name less than a rare one.
 */
export type FieldComparison = {
  field: FieldName;
  level: string;
  detail: string;
  frequencyKeys?: string[][] | undefined;
};

/**
 * Whether a comparison writes its `detail`. Ranking tens of thousands of blocked pairs per found
 * report (`khoj match run`) needs only the levels; building the text of every pair was most of
 * that run's work and garbage. The level never depends on this.
 */
export type Detail = 'describe' | 'level-only';

const LEVEL_ONLY = new Map<FieldName, Map<string, FieldComparison>>(
  FIELD_NAMES.map((field) => [
    field,
    new Map(FIELD_LEVELS[field].map((level) => [level, Object.freeze({ field, level, detail: '' })])),
  ]),
);

/**
 * A comparison without its text: one frozen object per field and level, so ranking allocates
 * none (and the scorer can remember each one's weight: see pairWeight).
 */
export function levelOnly(field: FieldName, level: string): FieldComparison {
  let levels = LEVEL_ONLY.get(field);
  if (!levels) {
    levels = new Map();
    LEVEL_ONLY.set(field, levels);
  }
  let comparison = levels.get(level);
  if (!comparison) {
    comparison = Object.freeze({ field, level, detail: '' });
    levels.set(level, comparison);
  }
  return comparison;
}
