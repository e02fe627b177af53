// The word lists are hand-written JSON: these checks catch the mistakes a hand edit makes
// (a spelling in two surname classes, a mark word under two concepts, text not in NFC).
import { describe, expect, it } from 'vitest';
import honorifics from './data/honorifics.json' with { type: 'json' };
import markData from './data/mark-concepts.json' with { type: 'json' };
import abbreviations from './data/name-abbreviations.json' with { type: 'json' };
import petNames from './data/pet-names.json' with { type: 'json' };
import surnames from './data/surname-classes.json' with { type: 'json' };
import { isPetName, surnameClass, toLatin } from './index.ts';

const allStrings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(allStrings)
      : typeof value === 'object' && value !== null
        ? Object.values(value).flatMap(allStrings)
        : [];

describe('data files', () => {
  it('each say what they are and hold NFC lower-case text', () => {
    for (const data of [honorifics, markData, abbreviations, petNames, surnames]) {
      expect(data._comment.length).toBeGreaterThan(50);
      const { _comment, ...lists } = data;
      for (const word of allStrings(lists)) {
        expect(word).toBe(word.normalize('NFC').toLowerCase().trim());
      }
    }
  });

  it('put each surname spelling in one class, and each class id is its own class', () => {
    expect(surnames.classes.length).toBeGreaterThanOrEqual(60);
    const seen = new Map<string, string>();
    for (const spellings of surnames.classes) {
      const id = spellings[0] as string;
      for (const spelling of spellings) {
        expect(seen.get(spelling), spelling).toBeUndefined();
        seen.set(spelling, id);
        expect(surnameClass(spelling)).toBe(id);
      }
    }
  });

  it('list about a hundred pet names, each recognised', () => {
    expect(new Set(petNames.names).size).toBe(petNames.names.length);
    expect(petNames.names.length).toBeGreaterThanOrEqual(100);
    for (const name of petNames.names) expect(isPetName(name), name).toBe(true);
  });

  it('give each mark word one concept', () => {
    const owner = new Map<string, string>();
    for (const group of [markData.kinds, markData.parts, markData.sides]) {
      for (const [id, words] of Object.entries(group)) {
        for (const word of words) {
          expect(owner.get(word), `${word} in ${id} and ${owner.get(word)}`).toBeUndefined();
          owner.set(word, id);
        }
      }
    }
  });

  it('write honorifics so that toLatin of the script forms is plain Latin', () => {
    for (const word of [...honorifics.titles.bengali, ...honorifics.titles.devanagari]) {
      expect(toLatin(word), word).toMatch(/^[a-z ]+$/);
    }
  });
});
