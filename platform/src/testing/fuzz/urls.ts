// The path and query of a malformed request: segments percent-encoded (a lone surrogate as the
// bytes no decoder takes), parameters the route must refuse, and query strings with values of
// the wrong type, broken escapes or refused text.
import fc from 'fast-check';
import { BAD_ESCAPES, forbiddenText, ODD_ESCAPES, weirdValue } from './malformed.ts';
import type { FuzzRoute, Parameter } from './routes.ts';
import { schemaValue, TRICKY_TEXT } from './schema-values.ts';

const UTF8 = new TextEncoder();

/** Percent-encodes every code point but the unreserved; a lone surrogate as its WTF-8 bytes. */
export function encodeSegment(text: string): string {
  let encoded = '';
  for (const character of text) {
    if (/^[A-Za-z0-9\-_.~]$/.test(character)) {
      encoded += character;
      continue;
    }
    const point = character.codePointAt(0) ?? 0;
    const bytes =
      point >= 0xd800 && point <= 0xdfff
        ? [0xe0 | (point >> 12), 0x80 | ((point >> 6) & 0x3f), 0x80 | (point & 0x3f)]
        : [...UTF8.encode(character)];
    encoded += bytes.map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return encoded;
}

/** A segment the URL parser would take as `.` or `..` (and so move the path) is kept literal. */
export function keepSegment(segment: string): string {
  return /^(\.|%2e){1,2}$/i.test(segment) ? `x${segment}` : segment;
}

export const wellFormed = (parameter: Parameter, route: FuzzRoute) =>
  schemaValue(parameter.schema, route.document).map(String);

/** A path parameter the route must refuse: wrong shape, refused text, broken escapes, huge. */
export const badSegment = (parameter: Parameter, route: FuzzRoute) =>
  fc.oneof(
    fc
      .oneof(fc.string({ unit: 'binary', maxLength: 30 }), forbiddenText, fc.constantFrom(...TRICKY_TEXT))
      .map(encodeSegment),
    fc
      .tuple(
        wellFormed(parameter, route).map(encodeSegment),
        fc.constantFrom(...BAD_ESCAPES, ...ODD_ESCAPES),
        fc.nat(),
      )
      .map(
        ([good, bad, at]) => good.slice(0, at % (good.length + 1)) + bad + good.slice(at % (good.length + 1)),
      ),
    wellFormed(parameter, route).map((good) => encodeSegment(`${good.slice(0, -1)}\u0130`)),
    fc.integer({ min: 1, max: 100 }).map((kb) => 'a'.repeat(kb * 1024)),
    wellFormed(parameter, route).map((good) => encodeSegment(good.toUpperCase() + good)),
  );

export type Pairs = Array<[string, string | undefined]>;

export function queryString(pairs: Pairs): string {
  if (!pairs.length) return '';
  return `?${pairs.map(([name, value]) => (value === undefined ? name : `${name}=${value}`)).join('&')}`;
}

export const validQuery = (route: FuzzRoute): fc.Arbitrary<Pairs> =>
  fc
    .tuple(
      ...route.queryParams.map((parameter) =>
        fc.option(
          schemaValue(parameter.schema, route.document).map((value): [string, string] => [
            encodeSegment(parameter.name),
            encodeSegment(String(value)),
          ]),
          { freq: parameter.required ? 0 : 2, nil: undefined },
        ),
      ),
    )
    .map((pairs) => pairs.filter((pair): pair is [string, string] => pair !== undefined));

/** Query pairs with at least one value a route must refuse (or, for GET, may merely ignore). */
export const badQuery = (route: FuzzRoute): fc.Arbitrary<Pairs> => {
  const names = route.queryParams.map((parameter) => parameter.name);
  const name = names.length ? fc.constantFrom(...names) : fc.constantFrom('limit', 'q', 'cursor');
  return fc
    .tuple(
      validQuery(route),
      fc.array(
        fc.oneof(
          fc.tuple(
            name,
            fc.constantFrom('-1', '0', '1.5', '1e9', 'NaN', 'Infinity', '0x10', '', ' 1', '9'.repeat(400)),
          ),
          fc
            .tuple(
              name,
              fc.oneof(
                weirdValue.map((value) => JSON.stringify(value) ?? ''),
                forbiddenText,
              ),
            )
            .map(([key, value]): [string, string] => [key, encodeSegment(value)]),
          fc.tuple(name, fc.constantFrom(...BAD_ESCAPES, ...ODD_ESCAPES)),
          fc.tuple(
            fc.constantFrom(...BAD_ESCAPES, '', '=', '&', '__proto__'),
            fc.constantFrom('1', '%zz', ''),
          ),
          fc.tuple(
            name,
            fc.integer({ min: 1, max: 64 }).map((kb) => 'q'.repeat(kb * 1024)),
          ),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    )
    .map(([valid, bad]) => [...valid, ...bad] as Pairs);
};
