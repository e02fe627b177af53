// The node's match thresholds: from a probability of `review` a pair is proposed to officers, from
// `alert` it is flagged for immediate attention. Set per node (KHOJ_MATCH_REVIEW /
// KHOJ_MATCH_ALERT), else the engine's defaults.
import { ConfigError } from '@khoj/platform';
import type { NodeConfig } from '../config.ts';
import { DEFAULT_THRESHOLDS } from './score/index.ts';

export type MatchThresholds = { review: number; alert: number };

export function matchThresholds(
  config: Pick<NodeConfig, 'matchReviewThreshold' | 'matchAlertThreshold'>,
): MatchThresholds {
  const review = config.matchReviewThreshold ?? DEFAULT_THRESHOLDS.review;
  const alert = config.matchAlertThreshold ?? DEFAULT_THRESHOLDS.alert;
  if (review > alert) {
    throw new ConfigError(
      `invalid configuration:\n  KHOJ_MATCH_ALERT: the alert threshold (${alert}) must not be below the review threshold (${review})`,
    );
  }
  return { review, alert };
}
