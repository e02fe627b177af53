// The interchange record: one missing or found child report as it travels in a CSV or JSONL
// file, validated and normalised. Both formats funnel into this one schema, so a report means the
// same thing whichever way it arrived. Plain schemas and functions, no I/O.
import { forbiddenCharacterIn } from '@khoj/contracts';
import { z } from 'zod';
import { COUNTRY_CODES } from './countries.ts';

/** Every field of the format, in the order writers emit them (CSV columns, JSON keys). */
export const INTERCHANGE_FIELDS = [
  'id',
  'kind',
  'country',
  'state',
  'district',
  'reportedAt',
  'eventDate',
  'name',
  'aliases',
  'sex',
  'ageYears',
  'ageEstimateMin',
  'ageEstimateMax',
  'heightCm',
  'languages',
  'guardianName',
  'identifyingMarks',
  'notes',
] as const;
export type InterchangeField = (typeof INTERCHANGE_FIELDS)[number];

/** Fields holding several values: JSON arrays in JSONL, `|`-separated in a CSV cell. */
export const LIST_FIELDS: ReadonlySet<string> = new Set(['aliases', 'languages', 'identifyingMarks']);
export const LIST_SEPARATOR = '|';

const NUMBER_FIELDS: ReadonlySet<string> = new Set([
  'ageYears',
  'ageEstimateMin',
  'ageEstimateMax',
  'heightCm',
]);
const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const NON_ASCII = /[^\t\n\r -~]/;
/** What a decoder puts where a file had bytes that are not UTF-8: the text is already lost. */
const REPLACEMENT_CHARACTER = '\uFFFD';

/** Same text, same bytes: line breaks as LF, Unicode NFC (so equal names compare equal), trimmed. */
function normaliseText(text: string): string {
  const lines = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  // Plain ASCII is already NFC; skipping it keeps million-row imports fast.
  return (NON_ASCII.test(lines) ? lines.normalize('NFC') : lines).trim();
}

function normaliseScalar(field: string, text: string): string | number {
  if (field === 'country') return text.toUpperCase();
  if (field === 'kind' || field === 'sex' || field === 'languages') return text.toLowerCase();
  if (NUMBER_FIELDS.has(field) && NUMERIC.test(text)) return Number(text);
  return text;
}

/** Blank means absent: null, empty or whitespace-only text, and empty lists are all dropped. */
function normaliseValue(field: string, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    const text = normaliseText(value);
    return text === '' ? undefined : normaliseScalar(field, text);
  }
  if (Array.isArray(value)) {
    const items = value
      .map((item: unknown) => (typeof item === 'string' ? normaliseText(item) : item))
      .filter((item) => item !== '' && item !== null && item !== undefined)
      .map((item) => (typeof item === 'string' ? normaliseScalar(field, item) : item));
    return items.length > 0 ? items : undefined;
  }
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function normaliseInput(input: unknown): unknown {
  if (!isPlainObject(input)) return input;
  // No prototype: a JSON key "__proto__" stays an own (unknown) field instead of replacing the
  // prototype, where zod would read fields without knowing they came from there.
  const normalised: Record<string, unknown> = Object.create(null);
  for (const field of Object.keys(input)) {
    const value = normaliseValue(field, input[field]);
    if (value !== undefined) normalised[field] = value;
  }
  return normalised;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?$/;

/** YYYY-MM-DD naming a day that exists (no 2023-02-29). */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth =
    month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}

/** The calendar date a reportedAt value names, as written (the reporter's own day, not UTC's). */
export function reportedDate(reportedAt: string): string | undefined {
  if (isCalendarDate(reportedAt)) return reportedAt;
  const match = DATE_TIME.exec(reportedAt);
  return match?.[1] && isCalendarDate(match[1]) ? match[1] : undefined;
}

function text(field: string, max: number) {
  return z
    .string()
    .max(max)
    .refine(
      (value) => !value.includes(REPLACEMENT_CHARACTER),
      `${field} contains characters that could not be read — save the file as UTF-8`,
    )
    .check((ctx) => {
      // contracts' rule for all text khoj takes: what no store can hold (NUL …) is refused here,
      // per field, rather than failing the whole batch in the database.
      const character = forbiddenCharacterIn(ctx.value);
      if (character !== undefined) {
        ctx.issues.push({
          code: 'custom',
          input: undefined,
          message: `${field} contains ${character}, which cannot be stored — remove it`,
        });
      }
    });
}

/** A list item: `|` is refused in both formats so every valid record can also be written as CSV. */
function listItem(field: string, max: number) {
  return text(field, max).refine(
    (value) => !value.includes(LIST_SEPARATOR),
    `${field}: an item must not contain "|" (it separates the items of a list in CSV)`,
  );
}

const age = z.number().int().min(0).max(25);

const FIELD_SCHEMAS = {
  id: text('id', 100).refine(
    (id) => !/\p{Cc}/u.test(id),
    'id must not contain line breaks or control characters',
  ),
  kind: z.enum(['missing', 'found']),
  country: z
    .string()
    .refine(
      (code) => COUNTRY_CODES.has(code),
      'country must be a two-letter ISO 3166-1 country code, such as IN, NP or BD',
    ),
  state: text('state', 100).optional(),
  district: text('district', 100).optional(),
  reportedAt: z
    .string()
    .refine(
      (value) => reportedDate(value) !== undefined,
      'reportedAt must be a date (YYYY-MM-DD) or a date and time (such as 2024-03-15T14:30 or 2024-03-15T14:30:00+05:30)',
    ),
  eventDate: z
    .string()
    .refine(isCalendarDate, 'eventDate must be a date written YYYY-MM-DD, such as 2024-03-15'),
  name: text('name', 200).optional(),
  aliases: z.array(listItem('aliases', 200)).max(20).optional(),
  sex: z.enum(['female', 'male', 'other', 'unknown']),
  ageYears: age.optional(),
  ageEstimateMin: age.optional(),
  ageEstimateMax: age.optional(),
  heightCm: z.number().min(30).max(220).optional(),
  languages: z
    .array(z.string().regex(/^[a-z]{2,3}$/))
    .max(10)
    .optional(),
  guardianName: text('guardianName', 200).optional(),
  identifyingMarks: z.array(listItem('identifyingMarks', 500)).max(20).optional(),
  notes: text('notes', 2000).optional(),
} satisfies Record<InterchangeField, z.ZodType>;

/** Whether a field holds a valid age / date on its own; cheap, since it runs on every row. */
const isAge = (value: unknown): value is number =>
  Number.isInteger(value) && Number(value) >= 0 && Number(value) <= 25;
const isText = (value: unknown): value is string => typeof value === 'string';

/**
 * Rules spanning fields. They run even when some field is invalid, so an officer sees every
 * problem of a row at once; each rule looks only at fields that are valid on their own.
 */
function checkAcrossFields(value: unknown, ctx: z.RefinementCtx): void {
  if (!isPlainObject(value)) return;
  const fail = (field: InterchangeField, message: string) =>
    ctx.addIssue({ code: 'custom', path: [field], message });
  const has = (field: InterchangeField) => value[field] !== undefined;
  if (has('ageYears') && (has('ageEstimateMin') || has('ageEstimateMax'))) {
    fail('ageYears', 'give either ageYears or ageEstimateMin and ageEstimateMax, not both');
  } else if (!has('ageYears') && !has('ageEstimateMin') && !has('ageEstimateMax')) {
    fail('ageYears', 'age is required: give ageYears, or both ageEstimateMin and ageEstimateMax');
  } else if (!has('ageYears') && !has('ageEstimateMax')) {
    fail('ageEstimateMax', 'ageEstimateMax is required when ageEstimateMin is given');
  } else if (!has('ageYears') && !has('ageEstimateMin')) {
    fail('ageEstimateMin', 'ageEstimateMin is required when ageEstimateMax is given');
  } else if (isAge(value.ageEstimateMin) && isAge(value.ageEstimateMax)) {
    const [min, max] = [value.ageEstimateMin, value.ageEstimateMax];
    if (min > max) {
      fail('ageEstimateMin', `ageEstimateMin must not be greater than ageEstimateMax (${min} > ${max})`);
    }
  }
  const event = value.eventDate;
  const reported = isText(value.reportedAt) ? reportedDate(value.reportedAt) : undefined;
  if (isText(event) && isCalendarDate(event) && reported !== undefined && event > reported) {
    fail('eventDate', `eventDate must not be after the date of reportedAt (${event} is after ${reported})`);
  }
}

const InterchangeFields = z.strictObject(FIELD_SCHEMAS);
type InterchangeFields = z.output<typeof InterchangeFields>;

/** Exactly one way of giving the age: known in whole years, or estimated as a range. */
type InterchangeAge =
  | { ageYears: number; ageEstimateMin?: never; ageEstimateMax?: never }
  | { ageYears?: never; ageEstimateMin: number; ageEstimateMax: number };

export type InterchangeRecord = Omit<InterchangeFields, 'ageYears' | 'ageEstimateMin' | 'ageEstimateMax'> &
  InterchangeAge;

/**
 * Parses raw input (a JSONL object, or a CSV row already split into lists) into the canonical
 * record. Absent optional fields are omitted, never `undefined`.
 */
export const InterchangeRecord = z
  .preprocess(normaliseInput, InterchangeFields.superRefine(checkAcrossFields, { when: () => true }))
  // checkAcrossFields has established that exactly one age form is present.
  .transform((fields) => fields as InterchangeRecord);
