// Loading the directory of units from a CSV file (`khoj unit import`): one unit per row, with
// the file's own `ref` as the key, so that loading a corrected file again updates the units
// instead of adding them twice. Parents are named by their `ref` and may come later in the file.
import { UNIT_TYPES } from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import { newId } from '@khoj/platform';
import { eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit } from '../audit/audit.store.ts';
import type * as schema from '../db/schema/index.ts';
import { units } from '../db/schema/index.ts';
import { createCsvParser } from '../interchange/csv.ts';
import { decodeText, type TextSource } from '../interchange/text.ts';

type NodeDb = Database<typeof schema>;

export const UNIT_COLUMNS = [
  'ref',
  'name',
  'type',
  'country',
  'state',
  'district',
  'parentRef',
  'phones',
  'emails',
  'active',
] as const;
const REQUIRED = ['ref', 'name', 'type', 'country'];

const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .optional()
    .transform((cell) =>
      cell
        ? cell
            .split('|')
            .map((value) => value.trim())
            .filter(Boolean)
        : [],
    )
    .pipe(z.array(item).max(10));

const UnitRow = z.object({
  ref: z.string().trim().min(1).max(100),
  name: z.string().trim().min(2, 'name must have at least 2 characters').max(200),
  type: z.enum(UNIT_TYPES, { message: `type must be one of ${UNIT_TYPES.join(', ')}` }),
  country: z
    .string()
    .trim()
    .transform((value) => value.toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{2}$/, 'country must be a 2-letter ISO 3166 code')),
  state: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((value) => value || null),
  district: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((value) => value || null),
  parentRef: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((value) => value || null),
  phones: list(z.string().regex(/^\+?[0-9 ()-]{5,20}$/, 'phones: digits, spaces, + ( ) -')),
  emails: list(z.email('emails: not an e-mail address')),
  active: z
    .string()
    .optional()
    .transform((value) => !/^(false|no|0|inactive)$/i.test(value?.trim() ?? '')),
});

export type UnitImportError = { line: number; field: string; reason: string };
export type UnitImportSummary = {
  added: number;
  updated: number;
  invalid: number;
  errors: UnitImportError[];
};

export async function importUnits(
  db: NodeDb,
  source: TextSource,
  importedBy: string,
): Promise<UnitImportSummary> {
  const rows: { line: number; unit: z.infer<typeof UnitRow> }[] = [];
  const errors: UnitImportError[] = [];
  const parser = createCsvParser();
  let header: string[] | undefined;
  const take = (records: ReturnType<typeof parser.push>) => {
    for (const record of records) {
      if (record.error !== undefined)
        errors.push({ line: record.line, field: '(row)', reason: record.error });
      else if (!header) {
        header = record.cells.map((cell) => cell.trim().replace(/^\uFEFF/, ''));
        const unknown = header.filter((column) => !(UNIT_COLUMNS as readonly string[]).includes(column));
        const missing = REQUIRED.filter((column) => !header?.includes(column));
        if (unknown.length || missing.length) {
          throw new Error(
            `line 1: ${[unknown.length ? `unknown column ${unknown.join(', ')}` : '', missing.length ? `missing column ${missing.join(', ')}` : ''].filter(Boolean).join('; ')} (columns: ${UNIT_COLUMNS.join(', ')})`,
          );
        }
      } else if (record.cells.some((cell) => cell.trim() !== '')) {
        const values = Object.fromEntries((header ?? []).map((column, i) => [column, record.cells[i]]));
        const parsed = UnitRow.safeParse(values);
        if (parsed.success) rows.push({ line: record.line, unit: parsed.data });
        else
          for (const issue of parsed.error.issues)
            errors.push({
              line: record.line,
              field: String(issue.path[0] ?? '(row)'),
              reason: issue.message,
            });
      }
    }
  };
  for await (const text of decodeText(source)) take(parser.push(text));
  take(parser.end());

  const refs = new Map(rows.map(({ unit, line }) => [unit.ref, line]));
  for (const { unit, line } of rows) {
    if (unit.parentRef && !refs.has(unit.parentRef))
      errors.push({ line, field: 'parentRef', reason: `no unit with ref ${unit.parentRef} in this file` });
  }
  const valid = rows.filter(({ unit }) => !unit.parentRef || refs.has(unit.parentRef));
  const summary = await db.transaction(async (tx) => {
    const existing = new Set(
      (
        await tx
          .select({ ref: units.externalRef })
          .from(units)
          .where(
            inArray(
              units.externalRef,
              valid.map(({ unit }) => unit.ref),
            ),
          )
      ).map((row) => row.ref),
    );
    for (const { unit } of valid) {
      const values = {
        name: unit.name,
        type: unit.type,
        country: unit.country,
        state: unit.state,
        district: unit.district,
        phones: unit.phones,
        emails: unit.emails,
        active: unit.active,
      };
      await tx
        .insert(units)
        .values({ id: newId('unit'), externalRef: unit.ref, ...values })
        .onConflictDoUpdate({ target: units.externalRef, set: values });
    }
    // Parents, now that every unit of the file has an id.
    for (const { unit } of valid) {
      const parentId = unit.parentRef
        ? sql`(select id from ${units} where ${units.externalRef} = ${unit.parentRef})`
        : sql`null`;
      await tx.update(units).set({ parentId }).where(eq(units.externalRef, unit.ref));
    }
    const added = valid.filter(({ unit }) => !existing.has(unit.ref)).length;
    if (valid.length > 0) {
      await appendAudit(tx, {
        actorId: importedBy,
        action: 'unit.import',
        recordType: 'unit',
        recordId: '*',
        reason: `${added} added, ${valid.length - added} updated`,
      });
    }
    return { added, updated: valid.length - added };
  });
  return { ...summary, invalid: new Set(errors.map((error) => error.line)).size, errors };
}
