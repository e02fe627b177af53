// Values shaped by the JSON Schemas of an OpenAPI 3.1 document (the committed contract), for the
// fuzz: mostly what a route would accept, often at its edges (longest strings, widest numbers,
// odd dates, LIKE wildcards), so that one mutation on top lands close to a handler.
import fc from 'fast-check';

export type JsonSchema = { readonly [key: string]: unknown };
export type SchemaDocument = { components?: { schemas?: Record<string, unknown> } };

/** Past this depth of schema nesting, `null` (no khoj request schema comes near it). */
const MAX_SCHEMA_DEPTH = 8;
/** Arrays from a schema stay short unless a mutation makes them huge. */
const USUAL_ITEMS = 3;

/** Text a person could type and a route may take, chosen to trip a careless query or log. */
export const TRICKY_TEXT = [
  ' ',
  '  padded  ',
  "'; drop table cases; --",
  "' or '1'='1",
  '%',
  '%%',
  '_',
  '\\',
  '\\%',
  '*',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as text
  '${jndi:x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'NaN',
  '-0',
  '0x10',
  '1e400',
  'true',
  '\u202eevil',
  'zero\u200bwidth',
  'e\u0301\u0301\u0301',
  '\ufeffbom',
  '\uffff',
  '\u{10ffff}',
  '\u0085next',
  'del\u007f',
  'tab\there',
  'line\nbreak',
  'কলকাতা',
  'नेपाल',
  '👨‍👩‍👧‍👦',
] as const;

export function resolveSchema(schema: unknown, document: SchemaDocument): JsonSchema {
  let current = asSchema(schema);
  for (let hops = 0; typeof current.$ref === 'string' && hops < 20; hops++) {
    const name = current.$ref.replace('#/components/schemas/', '');
    current = asSchema(document.components?.schemas?.[name]);
  }
  return current;
}

function asSchema(value: unknown): JsonSchema {
  return typeof value === 'object' && value !== null ? (value as JsonSchema) : {};
}

/** A value for `schema`, valid by its JSON Schema (zod refinements may still refuse it). */
export function schemaValue(schema: unknown, document: SchemaDocument, depth = 0): fc.Arbitrary<unknown> {
  const resolved = resolveSchema(schema, document);
  if (depth > MAX_SCHEMA_DEPTH) return fc.constant(null);
  if (Array.isArray(resolved.allOf)) return schemaValue(mergeAll(resolved.allOf, document), document, depth);
  const alternatives = (resolved.anyOf ?? resolved.oneOf) as unknown[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length) {
    return fc.oneof(...alternatives.map((option) => schemaValue(option, document, depth + 1)));
  }
  if ('const' in resolved) return fc.constant(resolved.const);
  if (Array.isArray(resolved.enum) && resolved.enum.length) return fc.constantFrom(...resolved.enum);
  const type = resolved.type;
  if (Array.isArray(type)) {
    return fc.oneof(...type.map((one) => schemaValue({ ...resolved, type: one }, document, depth)));
  }
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return integerValue(resolved);
    case 'number':
      return numberValue(resolved);
    case 'string':
      return stringValue(resolved);
    case 'array':
      return arrayValue(resolved, document, depth);
    case 'object':
      return objectValue(resolved, document, depth);
    default:
      return resolved.properties ? objectValue(resolved, document, depth) : fc.jsonValue({ maxDepth: 2 });
  }
}

function mergeAll(parts: unknown[], document: SchemaDocument): JsonSchema {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  let merged: Record<string, unknown> = {};
  for (const part of parts) {
    const resolved = resolveSchema(part, document);
    const inner = Array.isArray(resolved.allOf) ? mergeAll(resolved.allOf, document) : resolved;
    merged = { ...merged, ...inner };
    Object.assign(properties, inner.properties ?? {});
    if (Array.isArray(inner.required)) required.push(...(inner.required as string[]));
  }
  return Object.keys(properties).length
    ? { ...merged, type: 'object', properties, required, allOf: undefined }
    : { ...merged, allOf: undefined };
}

function bound(schema: JsonSchema, key: string): number | undefined {
  const value = schema[key];
  return typeof value === 'number' ? value : undefined;
}

function integerValue(schema: JsonSchema): fc.Arbitrary<number> {
  const exclusive = bound(schema, 'exclusiveMinimum');
  const min =
    bound(schema, 'minimum') ?? (exclusive === undefined ? -Number.MAX_SAFE_INTEGER : exclusive + 1);
  const max = bound(schema, 'maximum') ?? Number.MAX_SAFE_INTEGER;
  // Where a column's type ends: int4, and the largest integer a double holds exactly.
  const edges = [min, max, 0, 1, -1, 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, Number.MAX_SAFE_INTEGER];
  return fc.oneof(
    fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) }),
    fc.constantFrom(...edges.filter((edge) => edge >= min && edge <= max)),
  );
}

function numberValue(schema: JsonSchema): fc.Arbitrary<number> {
  const min = bound(schema, 'minimum') ?? -Number.MAX_VALUE;
  const max = bound(schema, 'maximum') ?? Number.MAX_VALUE;
  return fc.oneof(
    integerValue(schema),
    fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(min, max, Number.MIN_VALUE, 0.1, 1e-300, 1e300).filter((n) => n >= min && n <= max),
  );
}

const DATE_EDGES = ['0000-01-01', '0001-01-01', '1582-10-10', '1970-01-01', '2024-02-29', '9999-12-31'];
const DATE_TIME_EDGES = [
  '0001-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '2038-01-19T03:14:08Z',
  '9999-12-31T23:59:59.999999999+14:00',
  '2026-06-30T23:59:60Z',
  '2026-01-01T00:00:00-12:00',
];

function stringValue(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = bound(schema, 'minLength') ?? 0;
  const maxLength = bound(schema, 'maxLength') ?? 10_000;
  const fits = (text: string) => text.length >= minLength && text.length <= maxLength;
  if (schema.format === 'date') {
    return fc.oneof(
      fc
        .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10)),
      fc.constantFrom(...DATE_EDGES),
    );
  }
  if (schema.format === 'date-time') {
    return fc.oneof(
      fc
        .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((date) => date.toISOString()),
      fc.constantFrom(...DATE_TIME_EDGES),
    );
  }
  if (schema.format === 'email') return fc.emailAddress().filter(fits);
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  }
  const usual = Math.min(maxLength, minLength + 24);
  const longest = Math.min(maxLength, 100_000);
  return fc
    .oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength: usual }) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength, maxLength: usual }) },
      { weight: 2, arbitrary: fc.constantFrom(...TRICKY_TEXT).filter(fits) },
      // The longest the contract allows, in characters of one, two and four bytes.
      {
        weight: 1,
        arbitrary: fc
          .constantFrom('x', 'é', 'ক', '😀')
          .map((unit) => unit.repeat(Math.max(minLength, Math.floor(longest / unit.length))))
          .filter(fits),
      },
    )
    .filter((text) => fits(text) && text.isWellFormed());
}

function arrayValue(schema: JsonSchema, document: SchemaDocument, depth: number): fc.Arbitrary<unknown[]> {
  const minLength = bound(schema, 'minItems') ?? 0;
  const maxLength = Math.max(
    minLength,
    Math.min(bound(schema, 'maxItems') ?? USUAL_ITEMS, minLength + USUAL_ITEMS),
  );
  return fc.array(schemaValue(schema.items, document, depth + 1), { minLength, maxLength });
}

function objectValue(
  schema: JsonSchema,
  document: SchemaDocument,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = asSchema(schema.properties) as Record<string, unknown>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    model[name] = schemaValue(property, document, depth + 1);
  }
  const declared = fc.record(model, { requiredKeys: required.filter((name) => name in model) });
  const extra = schema.additionalProperties;
  if (typeof extra !== 'object' || extra === null) return declared;
  return fc
    .tuple(
      declared,
      fc.dictionary(fc.string({ maxLength: 12 }), schemaValue(extra, document, depth + 1), { maxKeys: 3 }),
    )
    .map(([known, more]) => ({ ...more, ...known }));
}
