// The pieces malformed requests are made of: text no store can take, broken encodings, values
// of the wrong type, documents too deep or too large, and the JSON-tree mutations that turn a
// value a route would accept into one it must refuse.
import fc from 'fast-check';

/** Text the input rules refuse (contracts' input.ts): NUL, C0 controls, unpaired surrogates. */
export const forbiddenText = fc
  .tuple(
    fc.string({ maxLength: 6 }),
    fc.constantFrom(
      '\u0000',
      '\u0001',
      '\u0007',
      '\b',
      '\u000b',
      '\f',
      '\u001b',
      '\u001f',
      '\ud800',
      '\udfff',
    ),
    fc.constantFrom('', '\udc00\ud800', '\u0000\u0000'),
    fc.string({ maxLength: 6 }),
  )
  .map(([before, bad, more, after]) => `${before}${bad}${more}${after}`);

/** Percent-escapes that decode to nothing, to non-UTF-8 bytes, or to characters refused. */
export const BAD_ESCAPES = [
  '%',
  '%z',
  '%zz',
  '%0',
  '%00',
  '%01',
  '%1f',
  '%c3%28',
  '%ed%a0%80',
  '%ed%bf%bf',
  '%ff',
  '%fe%ff',
  '%e2%82',
  '%f4%90%80%80',
  '%c0%af',
  '%u0041',
  '%0d%0a',
] as const;

/** Escapes that decode to acceptable but awkward text: separators, dots, direction marks. */
export const ODD_ESCAPES = [
  '%2F',
  '%5C',
  '%3F',
  '%23',
  '%25',
  '%2e%2e%2F',
  '%E2%80%AE',
  '%EF%BB%BF',
  '%F0%9F%98%80',
];

/** Byte sequences that are not UTF-8: lone continuation, overlong, surrogate, past U+10FFFF, cut. */
export const INVALID_UTF8 = [
  [0xff],
  [0x80],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0xc3],
  [0xfe, 0xff],
] as const;

/** JSON values of the wrong type or size for almost any field. */
export const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0.000001,
    1e308,
    -1e308,
    2 ** 53,
    2 ** 63,
    '',
    ' ',
    '0',
    'null',
    '[]',
    '{}',
    [],
    {},
    [null],
    { '': '' },
    JSON.parse('{"__proto__":{"polluted":true}}'),
    { constructor: { prototype: { polluted: true } } },
    '9'.repeat(400),
  ),
  fc.jsonValue({ maxDepth: 3 }),
  forbiddenText,
);

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels; unbalanced when `closed` is false. */
export function deepJsonText(depth: number, style: 'array' | 'object', closed = true): string {
  if (style === 'array') return '['.repeat(depth) + (closed ? ']'.repeat(depth) : '');
  return '{"a":'.repeat(depth) + (closed ? `1${'}'.repeat(depth)}` : '1');
}

/** Nesting depths past the 64-level limit, the deepest rarely (each is a few hundred KB). */
export const excessiveDepth = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 65, max: 300 }) },
  { weight: 3, arbitrary: fc.constantFrom(1_000, 10_000) },
  { weight: 1, arbitrary: fc.constant(200_000) },
);

/** Bodies that are not one JSON document, or are one of the wrong kind. */
export const GARBAGE_BODIES = [
  '',
  ' ',
  'null',
  '[]',
  '"text"',
  '123',
  'true',
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":NaN}',
  '{"a":1e999}',
  '{"a":01}',
  '{"a":"\\x41"}',
  '{"a":"\\u00"}',
  '{"a":1}{"b":2}',
  '{"a":1} trailing',
  '/* comment */ {}',
  '\ufeff{}',
  'a=1&b=2',
  '<?xml version="1.0"?><a/>',
  '--boundary\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--boundary--',
] as const;

/** Declared media types a JSON route does not take, and ones that almost say JSON. */
export const WRONG_CONTENT_TYPES = [
  'text/plain',
  'text/html; charset=utf-8',
  'application/xml',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=boundary',
  'application/jsonx',
  'application/json;',
  'application/x_y+json',
  'json',
  '*/*',
  'application/',
  'image/png',
] as const;

/** Media types that do say JSON, oddly: each still sends a JSON route JSON. */
export const ODD_JSON_CONTENT_TYPES = [
  'application/json',
  'APPLICATION/JSON',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/merge-patch+json',
] as const;

/** Content-Length values no server can honour, and odd ones it may. */
export const BAD_CONTENT_LENGTHS = ['-1', 'abc', '99999999999999999999', '1e400', '4294967296'] as const;
export const ODD_CONTENT_LENGTHS = ['0', '1', '', ' 5', '0x10', '1.0', '007'] as const;

/** Methods besides the usual: custom tokens, and lowercase names fetch does not upper-case. */
export const ODD_METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'HEAD',
  'FOO',
  'PROPFIND',
  'patch',
];

/** Headers no route needs, as a client (or attacker) might send them; none is a defect alone. */
export const headerNoise: fc.Arbitrary<Array<[string, string]>> = fc.array(
  fc.oneof(
    fc.tuple(
      fc.constantFrom('x-fuzz', 'user-agent', 'accept', 'x-forwarded-for'),
      fc.integer({ min: 1, max: 64 }).map((kb) => 'a'.repeat(kb * 1024)),
    ),
    fc.tuple(
      fc.constantFrom(
        'accept',
        'accept-language',
        'accept-encoding',
        'content-encoding',
        'traceparent',
        'tracestate',
        'x-request-id',
        'x-forwarded-for',
        'forwarded',
        'origin',
        'referer',
        'if-match',
        'if-none-match',
        'range',
        'expect',
        'x-csrf-token',
        'cookie',
        'x-http-method-override',
      ),
      fc.oneof(
        fc.constantFrom(
          '*/*;q=abc',
          'gzip',
          'br, deflate, zstd',
          '00-00000000000000000000000000000000-0000000000000000-00',
          'ff-ffffffffffffffffffffffffffffffff-ffffffffffffffff-ff',
          `00-${'a'.repeat(1000)}`,
          '127.0.0.1, ::1, unknown',
          'null',
          'W/"1", "2", *',
          '"9999999999999999999999"',
          'bytes=0-0,-1,999999999999-',
          '100-continue',
          'khoj_session=; khoj_session=%zz; =;; a',
          'DELETE',
          'caf\u00e9 \u00ff',
        ),
        fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((text) => text.replace(/[\0\r\n]/g, '')),
      ),
    ),
  ),
  { maxLength: 3 },
);

type JsonPath = Array<string | number>;

/** Paths to the nodes of a JSON value (at most `limit`), the root first. */
export function nodePaths(value: unknown, limit = 200): JsonPath[] {
  const found: JsonPath[] = [];
  const visit = (node: unknown, path: JsonPath) => {
    if (found.length >= limit) return;
    found.push(path);
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, [...path, index]);
    } else if (isPlainObject(node))
      for (const [key, item] of Object.entries(node)) visit(item, [...path, key]);
  };
  visit(value, []);
  return found;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function valueAt(value: unknown, path: JsonPath): unknown {
  let node = value;
  for (const step of path) node = (node as Record<string | number, unknown> | undefined)?.[step];
  return node;
}

/** `value` with the node at `path` replaced (or removed, when `replacement` is REMOVE). */
export function replaceAt(value: unknown, path: JsonPath, replacement: unknown): unknown {
  if (path.length === 0) return replacement === REMOVE ? undefined : replacement;
  const [step, ...rest] = path as [string | number, ...JsonPath];
  if (Array.isArray(value)) {
    const copy = [...value];
    const inner = replaceAt(copy[step as number], rest, replacement);
    if (inner === undefined && rest.length === 0) copy.splice(step as number, 1);
    else copy[step as number] = inner;
    return copy;
  }
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const inner = replaceAt(copy[step as string], rest, replacement);
  if (inner === undefined && rest.length === 0) delete copy[step as string];
  else
    Object.defineProperty(copy, step, { value: inner, enumerable: true, writable: true, configurable: true });
  return copy;
}

export const REMOVE = Symbol('remove');

/** One change to a JSON value: which node (an index into nodePaths) and what happens to it. */
export type Mutation =
  | { kind: 'remove'; at: number }
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'huge-string'; at: number; length: number }
  | { kind: 'huge-array'; at: number; length: number }
  | { kind: 'extra-field'; at: number; name: string; value: unknown }
  | { kind: 'deep'; at: number; depth: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: weirdValue }),
  fc.record({
    kind: fc.constant('huge-string' as const),
    at: fc.nat(),
    length: fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 1_000, max: 100_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 1_500_000 }) },
    ),
  }),
  fc.record({
    kind: fc.constant('huge-array' as const),
    at: fc.nat(),
    length: fc.integer({ min: 100, max: 20_000 }),
  }),
  fc.record({
    kind: fc.constant('extra-field' as const),
    at: fc.nat(),
    name: fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'id', 'version', '', ' '),
      fc.string({ maxLength: 20 }),
    ),
    value: weirdValue,
  }),
  fc.record({ kind: fc.constant('deep' as const), at: fc.nat(), depth: excessiveDepth }),
);

export function applyMutation(value: unknown, change: Mutation): unknown {
  const paths = nodePaths(value);
  const path = paths[change.at % paths.length] ?? [];
  const node = valueAt(value, path);
  switch (change.kind) {
    case 'remove':
      return path.length ? replaceAt(value, path, REMOVE) : undefined;
    case 'replace':
      return replaceAt(value, path, change.value);
    case 'huge-string':
      return replaceAt(value, path, 'x'.repeat(change.length));
    case 'huge-array': {
      const item = Array.isArray(node) ? node[0] : node;
      // Copies of a small item; a large one (a huge string already) would make gigabytes.
      const small = (JSON.stringify(item) ?? '').length <= 200;
      return replaceAt(value, path, Array(change.length).fill(small ? item : 0));
    }
    case 'extra-field': {
      const target = isPlainObject(node) ? path : path.slice(0, -1);
      const holder = valueAt(value, target);
      if (!isPlainObject(holder)) return replaceAt(value, target, { [change.name]: change.value });
      return replaceAt(value, [...target, change.name], change.value);
    }
    case 'deep':
      return replaceAt(value, path, JSON.parse(deepJsonText(Math.min(change.depth, 2_000), 'array')));
  }
}
