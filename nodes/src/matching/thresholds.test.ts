// The node's match thresholds: the engine's defaults, a node's own (KHOJ_MATCH_REVIEW /
// KHOJ_MATCH_ALERT), and a clear refusal of an alert threshold below the review threshold.
import { ConfigError } from '@khoj/platform';
import { describe, expect, it } from 'vitest';
import { readNodeConfig } from '../config.ts';
import { DEFAULT_THRESHOLDS } from './score/index.ts';
import { matchThresholds } from './thresholds.ts';

const config = (env: Record<string, string>) => readNodeConfig({ KHOJ_NODE_HOME: '/tmp/x', ...env });

describe('match thresholds', () => {
  it("are the engine's defaults unless the node sets its own", () => {
    expect(matchThresholds(config({}))).toEqual(DEFAULT_THRESHOLDS);
    expect(matchThresholds(config({ KHOJ_MATCH_REVIEW: '0.3', KHOJ_MATCH_ALERT: '0.95' }))).toEqual({
      review: 0.3,
      alert: 0.95,
    });
  });

  it('refuses a probability outside 0..1 and an alert below review, naming the variable', () => {
    expect(() => config({ KHOJ_MATCH_REVIEW: '1.5' })).toThrow(/KHOJ_MATCH_REVIEW/);
    expect(() => matchThresholds(config({ KHOJ_MATCH_REVIEW: '0.8', KHOJ_MATCH_ALERT: '0.6' }))).toThrow(
      ConfigError,
    );
    expect(() => matchThresholds(config({ KHOJ_MATCH_REVIEW: '0.8', KHOJ_MATCH_ALERT: '0.6' }))).toThrow(
      /KHOJ_MATCH_ALERT/,
    );
  });
});
