// The bodies of malformed requests: for a JSON route, a value it would take broken one way (a
// mutation, garbage, a broken encoding, too deep, a lying media type); for a route that takes
// raw bytes, wrong bytes; for a route that takes none, a stray body.
import fc from 'fast-check';
import {
  applyMutation,
  deepJsonText,
  excessiveDepth,
  forbiddenText,
  GARBAGE_BODIES,
  INVALID_UTF8,
  isPlainObject,
  mutation,
  nodePaths,
  ODD_JSON_CONTENT_TYPES,
  replaceAt,
  valueAt,
  WRONG_CONTENT_TYPES,
} from './malformed.ts';
import { encodeSegment } from './urls.ts';

const UTF8 = new TextEncoder();
/** Marks the string a broken encoding goes into, in JSON text about to be sent. */
const MARKER = '\uE000fuzz\uE000';

export function jsonBytes(value: unknown): Uint8Array {
  return UTF8.encode(value === undefined ? '' : JSON.stringify(value));
}

/** The value with MARKER in one string (or in one added field), then the marker replaced by `bad`. */
function withBrokenString(value: unknown, bad: Uint8Array | string, at: number): Uint8Array {
  const strings = nodePaths(value).filter((path) => typeof valueAt(value, path) === 'string');
  const path = strings[at % Math.max(strings.length, 1)];
  const marked = path
    ? replaceAt(value, path, `${valueAt(value, path) as string}${MARKER}`)
    : isPlainObject(value)
      ? { ...value, note: MARKER }
      : [value, MARKER];
  const [before = '', after = ''] = JSON.stringify(marked).split(MARKER);
  const middle = typeof bad === 'string' ? UTF8.encode(bad) : bad;
  return concat(UTF8.encode(before), middle, UTF8.encode(after));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

function utf16(text: string): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set([0xff, 0xfe]);
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    bytes[2 + index * 2] = unit & 0xff;
    bytes[3 + index * 2] = unit >> 8;
  }
  return bytes;
}

export type Body = { bytes: Uint8Array; contentType?: string };

/** Bodies for a JSON route, each broken one way, from a value the route would take. */
export const brokenJsonBodies = (valid: fc.Arbitrary<unknown>): Record<string, fc.Arbitrary<Body>> => {
  const json = fc.oneof(
    { weight: 4, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_JSON_CONTENT_TYPES) },
  );
  return {
    'body-mutation': fc
      .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }), json)
      .map(([value, changes, contentType]) => ({
        bytes: jsonBytes(changes.reduce(applyMutation, value)),
        contentType,
      })),
    'body-garbage': fc.oneof(
      fc
        .constantFrom(...GARBAGE_BODIES)
        .map((text) => ({ bytes: UTF8.encode(text), contentType: 'application/json' })),
      fc.tuple(valid, fc.nat()).map(([value, cut]) => {
        const text = JSON.stringify(value) ?? '';
        return {
          bytes: UTF8.encode(text.slice(0, cut % Math.max(text.length, 1))),
          contentType: 'application/json',
        };
      }),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ bytes, contentType: 'application/json' })),
    ),
    'body-encoding': fc.oneof(
      fc.tuple(valid, fc.constantFrom(...INVALID_UTF8), fc.nat()).map(([value, bad, at]) => ({
        bytes: withBrokenString(value, Uint8Array.from(bad), at),
        contentType: 'application/json',
      })),
      fc
        .tuple(
          valid,
          fc.constantFrom(
            '\\u0000',
            '\\ud800',
            '\\udc00\\ud800',
            '\\u001b',
            '\\b',
            '\\f',
            '\u0001',
            '\u0000',
          ),
          fc.nat(),
        )
        .map(([value, bad, at]) => ({
          bytes: withBrokenString(value, bad, at),
          contentType: 'application/json',
        })),
      valid.map((value) => ({ bytes: utf16(JSON.stringify(value) ?? ''), contentType: 'application/json' })),
    ),
    'body-depth': fc.oneof(
      fc
        .tuple(excessiveDepth, fc.constantFrom('array' as const, 'object' as const), fc.boolean())
        .map(([depth, style, closed]) => ({
          bytes: UTF8.encode(deepJsonText(depth, style, closed)),
          contentType: 'application/json',
        })),
      fc.tuple(valid, excessiveDepth, fc.nat()).map(([value, depth, at]) => ({
        bytes: withBrokenString(value, `"${deepJsonText(depth, 'array')}`, at),
        contentType: 'application/json',
      })),
    ),
    'content-type': fc
      .tuple(valid, fc.option(fc.constantFrom(...WRONG_CONTENT_TYPES), { nil: undefined }))
      .map(([value, contentType]) => ({ bytes: jsonBytes(value), ...(contentType ? { contentType } : {}) })),
  };
};

/** Bodies for a route that takes raw bytes (a photo): wrong bytes, wrong or lying types. */
export const brokenRawBodies = (mediaTypes: string[]): fc.Arbitrary<Body> =>
  fc.record({
    bytes: fc.oneof(
      fc.uint8Array({ maxLength: 512 }),
      fc
        .tuple(
          fc.constantFrom(
            [0xff, 0xd8, 0xff],
            [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
            [0x52, 0x49, 0x46, 0x46],
          ),
          fc.uint8Array({ maxLength: 256 }),
        )
        .map(([magic, rest]) => concat(Uint8Array.from(magic), rest)),
      fc.constantFrom(...GARBAGE_BODIES).map((text) => UTF8.encode(text)),
    ),
    contentType: fc.constantFrom(...mediaTypes, ...WRONG_CONTENT_TYPES, 'application/json'),
  });

/** A body on a route that takes none: only what the boundary refuses for every route matters. */
export const strayBody: fc.Arbitrary<Body> = fc.oneof(
  fc
    .constantFrom(...GARBAGE_BODIES)
    .map((text) => ({ bytes: UTF8.encode(text), contentType: 'application/json' })),
  excessiveDepth.map((depth) => ({
    bytes: UTF8.encode(deepJsonText(depth, 'array')),
    contentType: 'application/json',
  })),
  fc.constantFrom(...INVALID_UTF8).map((bad) => ({
    bytes: concat(UTF8.encode('{"a":"'), Uint8Array.from(bad), UTF8.encode('"}')),
    contentType: 'application/json',
  })),
  forbiddenText.map((text) => ({
    bytes: UTF8.encode(`a=${encodeSegment(text)}`),
    contentType: 'application/x-www-form-urlencoded',
  })),
);
