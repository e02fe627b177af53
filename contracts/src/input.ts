// What khoj accepts as text and as a JSON document, wherever input enters (HTTP requests, import
// files, signed documents): the rules are here once, so that every boundary refuses the same
// things with the same codes, before anything is stored or walked recursively.
//
// Text: any Unicode text except what no store or reader can take faithfully —
// - C0 control characters (U+0000–U+001F) other than tab, line feed and carriage return in free
//   text, and all of them in a single line (a path, an id): PostgreSQL refuses U+0000 in text
//   outright, and the others are never typed by a person but confuse terminals, logs and CSV;
// - unpaired UTF-16 surrogates (U+D800–U+DFFF alone): they have no UTF-8 form.
// DEL and the C1 controls (U+007F–U+009F) are encodable and stored as given. Bytes that are not
// UTF-8 and malformed percent-encoding are refused where the bytes are decoded (platform's
// http.ts, the interchange reader), with the same code.
//
// Documents: JSON nested deeper than MAX_DOCUMENT_DEPTH is refused by a linear scan of its text,
// before it is parsed, so that no recursive walk (canonical JSON, validation) can overflow the
// stack. No khoj document comes near it (an envelope is 5 levels deep).
import type { ErrorCode } from './errors.ts';

/** Arrays and objects inside one another, at most; the outermost counts as 1. */
export const MAX_DOCUMENT_DEPTH = 64;

export type InputErrorCode = Extract<ErrorCode, 'INPUT_ENCODING_INVALID' | 'DOCUMENT_TOO_DEEP'>;

/** Input refused by the rules above; its code is an API error code (400), so it crosses HTTP as is. */
export class InputError extends Error {
  readonly code: InputErrorCode;
  constructor(code: InputErrorCode, message: string) {
    super(message);
    this.name = 'InputError';
    this.code = code;
  }
}

/** Free text: tab, LF and CR are allowed. A single line: no C0 control at all. */
export type TextKind = 'text' | 'line';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|\p{Cs}/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN_IN_LINE = /[\u0000-\u001F]|\p{Cs}/u;

/**
 * The first character `text` may not hold, named for a message (`U+0000, a control character`),
 * or undefined when the text is acceptable. Never echoes the text itself.
 */
export function forbiddenCharacterIn(text: string, kind: TextKind = 'text'): string | undefined {
  const match = (kind === 'text' ? FORBIDDEN_IN_TEXT : FORBIDDEN_IN_LINE).exec(text);
  if (!match) return undefined;
  return describeCodeUnit(match[0].charCodeAt(0));
}

/** For zod refinements: `.refine(isAcceptableText, …)`. */
export function isAcceptableText(text: string): boolean {
  return !FORBIDDEN_IN_TEXT.test(text);
}

function describeCodeUnit(unit: number): string {
  const hex = `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;
  return unit >= 0xd800 && unit <= 0xdfff ? `${hex}, an unpaired surrogate` : `${hex}, a control character`;
}

// What the scan stops at: brackets, quotes, backslashes, raw control characters and surrogates.
// Everything else (most of a document: base64, plain text) is skipped by the regex engine, not
// by a JS loop. Text decoded from bytes holds no unpaired surrogate; a string built in JS may.
// biome-ignore lint/suspicious/noControlCharactersInRegex: raw control characters are looked for
const JSON_STOPS = /[{}[\]"\\\u0000-\u001F\uD800-\uDFFF]/g;

export type JsonCheckOptions = {
  /** MAX_DOCUMENT_DEPTH unless given. */
  maxDepth?: number;
  /**
   * Whether strings are checked too (default). A reader that checks each field itself, and can
   * then name it (the interchange import), checks the nesting only.
   */
  strings?: boolean;
};

/**
 * Checks the text of a JSON document in one linear pass, before it is parsed: nesting at most
 * `maxDepth`, and no string (value or key) holding a forbidden character, raw or escaped
 * (`\u0000`, `\b`, an unpaired `\ud800`). Throws InputError. Malformed JSON is left for
 * JSON.parse to report; only what it would accept and khoj cannot take is refused here.
 */
export function checkJsonText(text: string, options: JsonCheckOptions = {}): void {
  const maxDepth = options.maxDepth ?? MAX_DOCUMENT_DEPTH;
  const strings = options.strings ?? true;
  let depth = 0;
  let inString = false;
  const stops = new RegExp(JSON_STOPS);
  // test, not exec: no match object per stop. Every stop is one character, just before lastIndex.
  while (stops.test(text)) {
    const at = stops.lastIndex - 1;
    const unit = text.charCodeAt(at);
    if (unit < 0x20) {
      // Tab, LF and CR are whitespace between tokens; raw in a string, JSON.parse refuses them.
      if (unit === 0x09 || unit === 0x0a || unit === 0x0d || !strings) continue;
      throw encodingError(unit, at);
    }
    if (unit >= 0xd800 && unit <= 0xdfff) {
      if (!strings) continue;
      const low = text.charCodeAt(at + 1);
      if (unit > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) throw encodingError(unit, at);
      stops.lastIndex = at + 2;
      continue;
    }
    if (inString) {
      if (unit === 0x22) inString = false;
      else if (unit === 0x5c) stops.lastIndex = strings ? checkEscape(text, at) : at + 2;
    } else if (unit === 0x22) {
      inString = true;
    } else if (unit === 0x7b || unit === 0x5b) {
      if (++depth > maxDepth) {
        throw new InputError(
          'DOCUMENT_TOO_DEEP',
          `the JSON document is nested deeper than ${maxDepth} levels`,
        );
      }
    } else if (unit === 0x7d || unit === 0x5d) {
      depth--;
    }
  }
}

/** Checks JSON text (checkJsonText), then parses it; a SyntaxError from JSON.parse is passed on. */
export function parseJsonDocument(text: string, options: JsonCheckOptions = {}): unknown {
  checkJsonText(text, options);
  return JSON.parse(text);
}

/** The escape starting at `at` (a backslash in a string) checked; returns where scanning resumes. */
function checkEscape(text: string, at: number): number {
  const kind = text.charCodeAt(at + 1);
  if (kind === 0x62 || kind === 0x66) throw encodingError(kind === 0x62 ? 0x08 : 0x0c, at); // \b, \f
  if (kind !== 0x75) return at + 2; // \" \\ \/ \n \r \t (or malformed, for JSON.parse)
  const unit = hexAt(text, at + 2);
  if (unit === undefined) return at + 2;
  if (unit < 0x20 && unit !== 0x09 && unit !== 0x0a && unit !== 0x0d) throw encodingError(unit, at);
  if (unit >= 0xdc00 && unit <= 0xdfff) throw encodingError(unit, at);
  if (unit >= 0xd800 && unit <= 0xdbff) {
    const low =
      text.charCodeAt(at + 6) === 0x5c && text.charCodeAt(at + 7) === 0x75 ? hexAt(text, at + 8) : undefined;
    if (low === undefined || low < 0xdc00 || low > 0xdfff) throw encodingError(unit, at);
    return at + 12;
  }
  return at + 6;
}

function hexAt(text: string, at: number): number | undefined {
  const digits = text.slice(at, at + 4);
  return /^[0-9A-Fa-f]{4}$/.test(digits) ? Number.parseInt(digits, 16) : undefined;
}

function encodingError(unit: number, at: number): InputError {
  return new InputError(
    'INPUT_ENCODING_INVALID',
    `the JSON document holds ${describeCodeUnit(unit)}, at character ${at}`,
  );
}
