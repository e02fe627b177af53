// The matching engine's scoring: compare a missing-child profile with a found-child profile field
// by field, weigh the levels (Fellegi–Sunter, with name frequencies), turn the total into a
// probability and explain it. Pure functions, no I/O: the DB side blocks, loads, stores and alerts.
//
//   const missing = prepareProfile(profileA);           // once per profile
//   const pair = scorePair(missing, prepareProfile(profileB), parameters, frequencies);
//   if (pair.probability >= DEFAULT_THRESHOLDS.review) store(pair, explain(pair));
export { type CompareOptions, compareProfiles } from './compare.ts';
export {
  type EstimateOptions,
  type EstimateResult,
  estimateParameters,
  estimateU,
  type LevelShares,
  levelShares,
  parametersFromDecisions,
  runEm,
  withU,
} from './estimate.ts';
export { explain } from './explain.ts';
export { FIELD_LEVELS, FIELD_NAMES, type FieldComparison, type FieldName } from './fields.ts';
export {
  DEFAULT_PARAMETERS,
  DEFAULT_THRESHOLDS,
  type LevelParameters,
  type ModelParameters,
  type Thresholds,
} from './parameters.ts';
export {
  BUNDLED_CORRIDORS,
  BUNDLED_DISTRICT_COORDINATES,
  type Corridor,
  type CorridorEnd,
  type DistrictCoordinates,
} from './place.ts';
export { type PreparedProfile, prepareProfile } from './prepare.ts';
export {
  type ExplanationStep,
  type NameFrequencies,
  pairWeight,
  probabilityFromWeight,
  type ScoredPair,
  type ScoreOptions,
  scoreComparisons,
  scorePair,
  weightFromProbability,
} from './score.ts';
