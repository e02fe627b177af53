// Which EM estimates the matcher may use: at most one true counterpart per probe bounds the share
// of same-child pairs among blocked pairs, and an estimate beyond it is refused.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS } from './score/index.ts';
import { plausibleEstimate } from './train.ts';

describe('plausible EM estimates', () => {
  const withPrior = (priorMatchProbability: number) => ({ ...DEFAULT_PARAMETERS, priorMatchProbability });

  it('accepts a share of same-child pairs up to one per probe, and refuses more', () => {
    // 100 probes with 10,000 blocked pairs: at most 1% can be the same child.
    expect(plausibleEstimate(withPrior(0.004), 100, 10_000)).toBe(true);
    expect(plausibleEstimate(withPrior(0.01), 100, 10_000)).toBe(true);
    expect(plausibleEstimate(withPrior(0.011), 100, 10_000)).toBe(false);
    // EM that collapsed onto "every blocked pair is a match".
    expect(plausibleEstimate(withPrior(0.999), 100, 10_000)).toBe(false);
  });

  it('refuses anything learnt from no pairs', () => {
    expect(plausibleEstimate(withPrior(0.001), 0, 0)).toBe(false);
  });
});
