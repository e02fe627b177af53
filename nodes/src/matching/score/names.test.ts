import { describe, expect, it } from 'vitest';
import { FIELD_LEVELS } from './fields.ts';
import { compareField } from './test-fixtures.ts';

const name = (missing: string[], found: string[]) =>
  compareField('name', { names: missing }, { names: found });
const guardian = (missing: string[], found: string[]) =>
  compareField('guardian', { guardianNames: missing }, { guardianNames: found });

describe('child names', () => {
  it('exact_full: the same tokens in any order', () => {
    const swapped = name(['Rahul Debnath'], ['Debnath Rahul']);
    expect(swapped.level).toBe('exact_full');
    expect(swapped.detail).toBe('same name: Rahul Debnath = Debnath Rahul');
    // The same name in Bengali script and in latin letters.
    expect(name(['সীতা দাস'], ['Sita Das']).level).toBe('exact_full');
  });

  it('surname_class+given_phonetic: both parts agree, spelled differently', () => {
    const result = name(['Rahul Debnath'], ['Rahul Devnath']);
    expect(result.level).toBe('surname_class+given_phonetic');
    expect(result.detail).toContain('surname Debnath ≈ Devnath (same phonetic key)');
    expect(result.detail).toContain('given name Rahul = Rahul');
    // Order swapped and a middle name dropped still match.
    expect(name(['Devnath Rahul'], ['Rahul Kumar Debnath']).level).toBe('surname_class+given_phonetic');
  });

  it('given_phonetic: the surname on one side only', () => {
    const result = name(['Rahul Debnath'], ['Rahul']);
    expect(result.level).toBe('given_phonetic');
    expect(result.detail).toContain('surname on one side only');
    expect(name(['Tanvir'], ['Tanveer Hossain']).level).toBe('given_phonetic');
  });

  it('given_fuzzy: similar spelling (Jaro–Winkler ≥ 0.88), no conflicting surname', () => {
    const result = name(['Rakesh Das'], ['Rajesh Das']);
    expect(result.level).toBe('given_fuzzy');
    expect(result.detail).toMatch(/Rakesh ~ Rajesh \(similar spelling, 0\.9\d\)/);
    expect(name(['Anwar'], ['Anowar']).level).toBe('given_fuzzy');
    // Similar spelling with a different surname is not enough.
    expect(name(['Rakesh Das'], ['Rajesh Sharma']).level).toBe('different');
  });

  it('alias_or_pet_name: a pet name on one side equals a name on the other', () => {
    const result = name(['Sumaiya Akter', 'Munni'], ['Munni']);
    expect(result.level).toBe('alias_or_pet_name');
    expect(result.detail).toContain('Munni');
    expect(name(['Munni Akter'], ['Munni']).level).toBe('alias_or_pet_name');
  });

  it('given_phonetic+surname_different: same given name, different family name', () => {
    const result = name(['Rahul Das'], ['Rahul Sharma']);
    expect(result.level).toBe('given_phonetic+surname_different');
    expect(result.detail).toContain('surnames differ: Das / Sharma');
  });

  it('pet_name_only: the child gave only a pet name the other report does not hold', () => {
    const result = name(['Sumaiya Akter'], ['Munni']);
    expect(result.level).toBe('pet_name_only');
    expect(result.detail).toContain('found report has only a pet name (Munni)');
  });

  it('different and unknown', () => {
    expect(name(['Rahul Das'], ['Sita Roy']).level).toBe('different');
    // Siblings share the surname: that alone is no name agreement.
    expect(name(['Rahul Das'], ['Sita Das']).level).toBe('different');
    expect(name([], ['Rahul']).level).toBe('unknown');
    expect(name(['Rahul'], []).level).toBe('unknown');
  });

  it('takes the best over all names and aliases', () => {
    expect(name(['সীতা দাস', 'Situ'], ['Rupa', 'Sita']).level).toBe('given_phonetic');
  });

  it('names the phonetic keys behind an agreement for the frequency adjustment', () => {
    expect(name(['Rahul Debnath'], ['Rahul Devnath']).frequencyKeys).toEqual([['rahal'], ['dibnat']]);
    expect(name(['Anwar'], ['Anowar']).frequencyKeys).toEqual([]);
  });

  it('reaches every level', () => {
    const reached = new Set(
      [
        name(['Rahul Debnath'], ['Debnath Rahul']),
        name(['Rahul Debnath'], ['Rahul Devnath']),
        name(['Rahul Debnath'], ['Rahul']),
        name(['Anwar'], ['Anowar']),
        name(['Munni Akter'], ['Munni']),
        name(['Rahul Das'], ['Rahul Sharma']),
        name(['Sumaiya Akter'], ['Munni']),
        name(['Rahul Das'], ['Sita Roy']),
        name([], ['Rahul']),
      ].map((comparison) => comparison.level),
    );
    expect([...reached].sort()).toEqual([...FIELD_LEVELS.name].sort());
  });
});

describe('guardian names', () => {
  it('reaches every level', () => {
    expect(guardian(['Ramesh Debnath'], ['Debnath Ramesh']).level).toBe('exact');
    expect(guardian(['Ramesh Debnath', 'Sita Debnath'], ['Ramesh Devnath']).level).toBe('phonetic');
    expect(guardian(['Ramesh Debnath'], ['Ramesh']).level).toBe('phonetic');
    expect(guardian(['Rakesh Das'], ['Rajesh Das']).level).toBe('fuzzy');
    expect(guardian(['Ramesh Das'], ['Ramesh Sharma']).level).toBe('different');
    expect(guardian(['Ramesh Das'], ['Abdul Karim']).level).toBe('different');
    expect(guardian([], ['Ramesh Das']).level).toBe('unknown');
  });

  it('says which parts agree', () => {
    expect(guardian(['Ramesh Debnath'], ['Ramesh Devnath']).detail).toContain(
      'guardian surname Debnath ≈ Devnath (same phonetic key)',
    );
  });
});

describe('child names: one-word names and surnames spelt apart', () => {
  it('one given name on each side agrees as a given name, not as a full name', () => {
    expect(name(['Tarun'], ['Tarun']).level).toBe('given_phonetic');
    expect(name(['ফাতিমা'], ['Fatima']).level).toBe('given_phonetic');
    // Two words on both sides are a full name.
    expect(name(['Tarun Mondal'], ['Mondal Tarun']).level).toBe('exact_full');
  });

  it('a surname spelt differently (schwa dropped, another scheme) still agrees with the given name', () => {
    expect(name(['Priya Sahani'], ['PRIYA SAHNI']).level).toBe('surname_class+given_phonetic');
    expect(name(['Sunil Sahoo'], ['Sunil Sahu']).level).toBe('surname_class+given_phonetic');
    expect(name(['অজয় যাদব'], ['Ajay Yadav']).level).toBe('surname_class+given_phonetic');
    // A different surname is still different.
    expect(name(['Priya Sahani'], ['Priya Ghosh']).level).toBe('given_phonetic+surname_different');
  });
});
