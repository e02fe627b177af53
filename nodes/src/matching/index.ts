// The node's matching engine, as the rest of khoj uses it: profiles from cases and interchange
// records, the continuous matcher, bulk indexing and blocking, training, and the scoring engine.
export {
  blockAll,
  blockInMemory,
  indexAllCases,
  type KeyedReport,
  openThrowawayStore,
  type ReportFile,
  readProfiles,
} from './bulk.ts';
export { profileFromCase, profileFromRecord } from './from-case.ts';
export { type BlockingKey, materialDigest, profileKeys } from './keys.ts';
export { createMatcher, isMatchable, type Matcher, nameFrequencies, type ScoreTimings } from './matcher.ts';
export {
  type BlockedPair,
  type BlockingCaps,
  DEFAULT_CAPS,
  insertKeys,
  type KeyRow,
  nameKeyCounts,
  saveParameters,
} from './matching.store.ts';
export type { MatchProfile, MatchSide } from './profile.ts';
export {
  compareProfiles,
  DEFAULT_PARAMETERS,
  DEFAULT_THRESHOLDS,
  type ExplanationStep,
  type FieldComparison,
  type ModelParameters,
  type NameFrequencies,
  type PreparedProfile,
  pairWeight,
  prepareProfile,
  probabilityFromWeight,
  scorePair,
} from './score/index.ts';
export { matchThresholds } from './thresholds.ts';
export {
  estimateFromPairs,
  MIN_CONFIRMED,
  plausibleEstimate,
  type TrainResult,
  trainParameters,
} from './train.ts';
