import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, explain, prepareProfile, scorePair } from './index.ts';
import { foundProfile, missingProfile } from './test-fixtures.ts';

describe('explain', () => {
  const pair = scorePair(
    prepareProfile(
      missingProfile({
        names: ['Rahul Debnath'],
        sex: 'male',
        age: { min: 10, max: 10, estimated: false },
        place: { country: 'BD', district: 'Satkhira' },
        marks: ['mole on left cheek'],
      }),
    ),
    prepareProfile(
      foundProfile({
        names: ['Rahul Devnath'],
        sex: 'male',
        age: { min: 9, max: 11, estimated: true },
        eventDate: '2024-02-01',
        place: { country: 'IN', state: 'West Bengal', district: 'Kolkata' },
        marks: ['তিল বাম গালে'],
      }),
    ),
    DEFAULT_PARAMETERS,
  );
  const text = explain(pair);
  const lines = text.split('\n');

  it('opens with the verdict and the weight', () => {
    expect(lines[0]).toMatch(
      /^case_missing \(missing\) ↔ case_found \(found\): (>99\.9|\d+\.\d)% — likely the same child: alert$/,
    );
    expect(lines[1]).toMatch(/^weight \+\d+\.\d bits \(review at 50\.0%, alert at 90\.0%\)$/);
  });

  it('shows one line per step with its weight, a bar and the running total', () => {
    expect(lines).toHaveLength(2 + pair.explanation.length);
    expect(lines[2]).toMatch(/^ {2}prior\s+−10\.0\s+−{10}\s+=\s+−10\.0 {2}about 1 in 1,000 candidate pairs/);
    const name = lines.find((line) => line.trimStart().startsWith('name'));
    expect(name).toContain(
      'surname_class+given_phonetic: given name Rahul = Rahul; surname Debnath ≈ Devnath',
    );
    expect(text).toContain('marks');
    expect(text).toContain('same_mark_place_side: both: mole on left cheek');
    const total = pair.explanation.reduce((sum, step) => sum + step.weight, 0);
    const last = lines.at(-1) ?? '';
    expect(last).toMatch(new RegExp(`= +${total >= 0 ? '\\+' : '−'}${Math.abs(total).toFixed(1)} `));
  });

  it('says when a pair is below review', () => {
    const weak = scorePair(
      prepareProfile(missingProfile({ names: ['Rahul Das'] })),
      prepareProfile(foundProfile({ names: ['Sita Roy'] })),
      DEFAULT_PARAMETERS,
    );
    expect(explain(weak).split('\n')[0]).toMatch(/<0\.1% — probably not the same child$/);
  });
});
