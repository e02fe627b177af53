import { describe, expect, it } from 'vitest';
import {
  checkJsonText,
  forbiddenCharacterIn,
  InputError,
  isAcceptableText,
  MAX_DOCUMENT_DEPTH,
  parseJsonDocument,
} from './input.ts';

const codeOf = (attempt: () => unknown): string | undefined => {
  try {
    attempt();
    return undefined;
  } catch (error) {
    return error instanceof InputError ? error.code : `not an InputError: ${String(error)}`;
  }
};

describe('text khoj accepts', () => {
  it('takes any script, emoji, tab and line breaks in free text', () => {
    for (const text of ['Rupa Mondal', 'রূপা মণ্ডল', 'रूपा', 'a\tb\r\nc', '👧🏽', '\u007f\u0085', '']) {
      expect(isAcceptableText(text), JSON.stringify(text)).toBe(true);
      expect(forbiddenCharacterIn(text)).toBeUndefined();
    }
  });

  it('refuses NUL, other C0 controls and unpaired surrogates, naming the character and never the text', () => {
    expect(forbiddenCharacterIn('Rupa\u0000')).toBe('U+0000, a control character');
    expect(forbiddenCharacterIn('a\u001bb')).toBe('U+001B, a control character');
    expect(forbiddenCharacterIn('\ud800x')).toBe('U+D800, an unpaired surrogate');
    expect(forbiddenCharacterIn('x\udc00')).toBe('U+DC00, an unpaired surrogate');
    expect(isAcceptableText('a\u0008b')).toBe(false);
  });

  it('refuses even tab and line breaks in a single line', () => {
    expect(forbiddenCharacterIn('case_1\n', 'line')).toBe('U+000A, a control character');
    expect(forbiddenCharacterIn('case_1\t', 'line')).toBe('U+0009, a control character');
    expect(forbiddenCharacterIn('case_1', 'line')).toBeUndefined();
  });
});

describe('checkJsonText', () => {
  it('passes ordinary documents, escapes included', () => {
    const documents = [
      '{"name":"Rupa","notes":"line\\nline\\ttab \\"q\\" \\\\ \\/","marks":["[not a bracket]","{"]}',
      '{"emoji":"\\ud83d\\udc67","raw":"👧","bn":"রূপা","del":"\\u007f"}',
      '[[[[1]]]] ',
      `${'['.repeat(MAX_DOCUMENT_DEPTH)}${']'.repeat(MAX_DOCUMENT_DEPTH)}`,
    ];
    for (const text of documents)
      expect(
        codeOf(() => checkJsonText(text)),
        text,
      ).toBeUndefined();
  });

  it('refuses a forbidden character in a value or a key, raw or escaped', () => {
    const documents = [
      '{"q":"\\u0000"}',
      '{"q\\u0000":1}',
      '{"a":{"b":[{"c":"x\\u001F"}]}}',
      '{"q":"\\b"}',
      '{"q":"\\f"}',
      '{"q":"\\ud800"}',
      '{"q":"\\ud800\\u0041"}',
      '{"q":"\\udc00\\ud800"}',
      '{"q":"\u0000"}',
      '\u0001{}',
      '{"q":"\ud800"}',
    ];
    for (const text of documents) {
      expect(
        codeOf(() => checkJsonText(text)),
        JSON.stringify(text),
      ).toBe('INPUT_ENCODING_INVALID');
    }
  });

  it('refuses nesting deeper than the limit before parsing, however deep', () => {
    const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    expect(codeOf(() => checkJsonText(deep(MAX_DOCUMENT_DEPTH)))).toBeUndefined();
    expect(codeOf(() => checkJsonText(deep(MAX_DOCUMENT_DEPTH + 1)))).toBe('DOCUMENT_TOO_DEEP');
    expect(codeOf(() => checkJsonText('['.repeat(200_000)))).toBe('DOCUMENT_TOO_DEEP');
    expect(codeOf(() => checkJsonText('[1,2]', { maxDepth: 1 }))).toBeUndefined();
    expect(codeOf(() => checkJsonText('[[1]]', { maxDepth: 1 }))).toBe('DOCUMENT_TOO_DEEP');
  });

  it('checks the nesting only when asked to leave strings to the reader', () => {
    const options = { strings: false };
    expect(codeOf(() => checkJsonText('{"q":"\\u0000\\ud800\u0001"}', options))).toBeUndefined();
    expect(codeOf(() => checkJsonText('{"q":"\\"[[["}', { ...options, maxDepth: 1 }))).toBeUndefined();
    expect(codeOf(() => checkJsonText('{"q":[[1]]}', { ...options, maxDepth: 2 }))).toBe('DOCUMENT_TOO_DEEP');
  });

  it('leaves malformed JSON to JSON.parse', () => {
    expect(codeOf(() => checkJsonText('{"a":'))).toBeUndefined();
    expect(() => parseJsonDocument('{"a":')).toThrow(SyntaxError);
    expect(parseJsonDocument('{"a":[1,"\\u00e9"]}')).toEqual({ a: [1, 'é'] });
  });
});
