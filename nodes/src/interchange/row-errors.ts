// Turning validation problems into row errors an officer can act on: which line of the file,
// which field, and a sentence in plain words. No I/O.
import type { z } from 'zod';
import { INTERCHANGE_FIELDS, InterchangeRecord } from './record.ts';

/** One problem with one row. `row` is the line number in the file (see FORMAT.md). */
export type RowError = { row: number; field: string; reason: string };

/** The `field` of a RowError about the whole row (bad JSON, wrong number of CSV cells, …). */
export const WHOLE_ROW = '(row)';

export type ValidatedRow =
  | { record: InterchangeRecord; errors?: undefined }
  | { record?: undefined; errors: RowError[] };

/** Validates one raw row and reports every problem in it, not just the first. */
export function validateRow(raw: unknown, row: number): ValidatedRow {
  const result = InterchangeRecord.safeParse(raw, { reportInput: true });
  if (result.success) return { record: result.data };
  const errors = result.error.issues.flatMap((issue) => describeIssue(issue, row));
  const unique = new Map(errors.map((error) => [`${error.field}\u0000${error.reason}`, error]));
  return { errors: [...unique.values()] };
}

const simplify = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** "unknown column 'Age Years' — did you mean 'ageYears'?" (case, spaces and `_` forgiven in the hint only). */
export function unknownFieldReason(name: string, noun: 'field' | 'column'): string {
  const suggestion = INTERCHANGE_FIELDS.find((field) => simplify(field) === simplify(name));
  return suggestion
    ? `unknown ${noun} '${name}' — did you mean '${suggestion}'?`
    : `unknown ${noun} '${name}' — the ${noun}s are ${INTERCHANGE_FIELDS.join(', ')}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  array: 'a list',
};
const ITEM_FORMATS: Record<string, string> = {
  languages: 'a 2–3 letter ISO 639 language code, such as hi, bn or en',
};

/** " (got 'F')" for short scalar inputs, so the officer can find the cell. */
function got(input: unknown): string {
  if (typeof input === 'number' || typeof input === 'boolean') return ` (got ${input})`;
  if (typeof input !== 'string') return '';
  return ` (got '${input.length > 40 ? `${input.slice(0, 40)}…` : input}')`;
}

function describeIssue(issue: z.core.$ZodIssue, row: number): RowError[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ row, field: key, reason: unknownFieldReason(key, 'field') }));
  }
  const [head, index] = issue.path;
  if (head === undefined) {
    // Only a JSONL line that is not an object fails at the top level.
    return [
      { row, field: WHOLE_ROW, reason: 'each line must be a JSON object, such as {"id": "…", "kind": "…"}' },
    ];
  }
  const field = String(head);
  const subject = typeof index === 'number' ? `${field} item ${index + 1}` : field;
  return [{ row, field, reason: reasonFor(issue, field, subject) }];
}

function reasonFor(issue: z.core.$ZodIssue, field: string, subject: string): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `${subject} is required`;
      return `${subject} must be ${TYPE_NAMES[issue.expected] ?? issue.expected}${got(issue.input)}`;
    case 'too_big': {
      const size = (issue.input as { length?: number } | undefined)?.length ?? 0;
      if (issue.origin === 'string')
        return `${subject} must be at most ${issue.maximum} characters (it has ${size})`;
      if (issue.origin === 'array')
        return `${subject} must have at most ${issue.maximum} items (it has ${size})`;
      return `${subject} must be at most ${issue.maximum}${got(issue.input)}`;
    }
    case 'too_small':
      return `${subject} must be at least ${issue.minimum}${got(issue.input)}`;
    case 'invalid_value':
      return `${subject} must be one of ${issue.values.join(', ')}${got(issue.input)}`;
    case 'invalid_format':
      return `${subject} must be ${ITEM_FORMATS[field] ?? 'in the expected format'}${got(issue.input)}`;
    default:
      // Custom rules in record.ts already phrase their message for an officer.
      return `${issue.message}${got(issue.input)}`;
  }
}
