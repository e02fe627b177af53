import { describe, expect, it } from 'vitest';
import { jaroWinkler } from './index.ts';

describe('jaroWinkler', () => {
  it.each([
    // Values from Winkler (1990) and the usual reference implementations.
    ['MARTHA', 'MARHTA', 0.9611],
    ['DWAYNE', 'DUANE', 0.84],
    ['DIXON', 'DICKSONX', 0.8133],
    ['JELLYFISH', 'SMELLYFISH', 0.8963],
    ['CRATE', 'TRACE', 0.7333],
  ])('%s / %s = %f', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 4);
    expect(jaroWinkler(b, a)).toBeCloseTo(expected, 4);
  });

  it('is 1 for equal strings, 0 with nothing in common or one side empty', () => {
    expect(jaroWinkler('rahul', 'rahul')).toBe(1);
    expect(jaroWinkler('', '')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('rahul', '')).toBe(0);
  });

  it('rates spelling variants above different names', () => {
    expect(jaroWinkler('mohammad', 'mohammed')).toBeGreaterThan(0.9);
    expect(jaroWinkler('rahul', 'rohit')).toBeLessThan(jaroWinkler('rahul', 'rahool'));
  });
});
