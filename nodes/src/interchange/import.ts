// Importing an interchange file into this node's cases: streamed, in batches of one transaction
// each (cases, their first versions, their search terms and one audit entry for the batch commit
// together), idempotent on the file's `id` per owning unit, invalid rows reported and skipped.
// A batch is one SQL statement: the rows go to the database as one array per column and nothing
// comes back but a count, and the next batch is read and parsed while the database stores this one.
import { createReadStream } from 'node:fs';
import type { Database } from '@khoj/platform';
import { asc, getTableColumns, gt, type Name, type SQL, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import { caseSnapshotSql } from '../cases/reports.store.ts';
import type * as schema from '../db/schema/index.ts';
import { type CaseRow, cases, caseTerms, caseVersions, type NewCaseRow } from '../db/schema/index.ts';
import { detectFormat, type InterchangeFormat } from './format.ts';
import { readInterchange } from './read.ts';
import type { InterchangeRecord } from './record.ts';
import type { RowError } from './row-errors.ts';
import { caseFromRecord, recordFromCase } from './to-case.ts';
import { writeInterchange } from './write.ts';

type NodeDb = Database<typeof schema>;

/**
 * Rows per batch (one transaction). Large, because each batch inserts into the indexes in key
 * order (see insertBatch): the more keys a batch has, the more of them share each index page it
 * touches. A batch of cases takes some 20 MB in memory; two are held at a time.
 */
export const IMPORT_BATCH = 20_000;

export type ImportSummary = { imported: number; alreadyPresent: number; invalid: number };

export async function importFile(
  db: NodeDb,
  path: string,
  options: {
    ownerUnitId: string;
    importedBy: string;
    format?: InterchangeFormat;
    onErrors?: (errors: RowError[]) => void;
    onProgress?: (rows: number) => void;
    /** Rows per batch; IMPORT_BATCH unless a test wants small ones. */
    batchSize?: number;
  },
): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? IMPORT_BATCH;
  const summary: ImportSummary = { imported: 0, alreadyPresent: 0, invalid: 0 };
  let batch: { line: number; record: InterchangeRecord }[] = [];
  // The batch the database is storing, if any. One at a time, so batches (and their audit
  // entries) commit in file order, and memory holds at most two batches.
  let storing: Promise<void> | undefined;
  const flush = async () => {
    if (batch.length === 0) return;
    const taken = batch;
    batch = [];
    const rows = taken.map(({ record }) => caseFromRecord(record, options.ownerUnitId, options.importedBy));
    const source = `${path} lines ${taken[0]?.line}–${taken.at(-1)?.line}`;
    await storing;
    storing = insertBatch(db, rows, source, options.importedBy).then((inserted) => {
      summary.imported += inserted;
      summary.alreadyPresent += rows.length - inserted;
      options.onProgress?.(taken.length);
    });
    // Its failure is raised by the next `await storing`; until then it must not count as unhandled.
    storing.catch(() => undefined);
  };
  try {
    for await (const row of readInterchange(createReadStream(path), options.format ?? detectFormat(path))) {
      if (row.errors) {
        summary.invalid += 1;
        options.onErrors?.(row.errors);
        options.onProgress?.(1);
        continue;
      }
      if (row.record) batch.push({ line: row.line, record: row.record });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    await storing;
  } finally {
    // A reading error leaves the batch in flight to finish before the caller closes the database.
    await storing?.catch(() => undefined);
  }
  // After a bulk load the planner's statistics still describe the tables as they were, until
  // autovacuum catches up; lists and searches right after an import then chose poor plans.
  if (summary.imported > 0) await db.execute(sql`analyze ${cases}, ${caseTerms}`);
  return summary;
}

/**
 * Inserts the new cases of a batch (those whose reference is not there yet), with their first
 * version and their search terms, in one statement; then the batch's audit entry, in the same
 * transaction. Returns how many cases were new.
 */
async function insertBatch(
  db: NodeDb,
  rows: NewCaseRow[],
  source: string,
  importedBy: string,
): Promise<number> {
  const columns = getTableColumns(cases);
  const fields = [...new Set(rows.flatMap((row) => Object.keys(row)))] as (keyof NewCaseRow)[];
  const list = (make: (field: keyof NewCaseRow) => SQL | Name) => sql.join(fields.map(make), sql`, `);
  // Each column's values as one text[] parameter, cast back to the column's type in SQL: far
  // cheaper for the database to take apart than one JSON document of the rows (measured: a third
  // of the server's time per row went into jsonb_to_recordset).
  const arrays = list((field) => sql`${textArray(rows.map((row) => asText(row[field])))}::text[]`);
  return db.transaction(async (tx) => {
    const result: unknown = await tx.execute(sql`
      with input as (
        select * from unnest(${arrays}) as input(${list((field) => sql.identifier(field))})
      ),
      inserted as (
        insert into ${cases} (${list((field) => sql.identifier(columns[field].name))})
        select ${list((field) => sql`input.${sql.identifier(field)}::${sql.raw(columns[field].getSQLType())}`)}
        from input
        -- In created_at order, so that the rows go into the (…, created_at) indexes in key order.
        order by input.${sql.identifier('createdAt')}
        on conflict (${sql.identifier(columns.ownerUnitId.name)}, ${sql.identifier(columns.externalRef.name)})
        do nothing
        returning *
      ),
      versions as (
        insert into ${caseVersions} (case_id, version, change, snapshot, changed_by, changed_at, reason)
        select id, version, 'create', ${caseSnapshotSql('inserted')}, ${importedBy}, updated_at, 'imported'
        from inserted
      ),
      terms as (
        insert into ${caseTerms} (term, created_at, case_id, district)
        select distinct term, inserted.created_at, inserted.id, coalesce(inserted.district, '')
        from inserted, unnest(inserted.search_terms) as term
        -- In key order: at a million cases the index is larger than the server's buffers, and
        -- walking it in order reads each page it changes once per batch, not once per word.
        order by 1, 2, 3, 4
      )
      select count(*)::int as imported, min(id) as first from inserted`);
    // postgres-js answers with the rows, PGlite with { rows }.
    type Outcome = { imported: number; first: string | null };
    const [outcome] = (Array.isArray(result) ? result : (result as { rows: Outcome[] }).rows) as Outcome[];
    if (!outcome?.first) return 0;
    await appendAudit(tx, {
      actorId: importedBy,
      action: 'case.import',
      recordType: 'case',
      recordId: outcome.first,
      reason: `${outcome.imported} cases from ${source}`,
    });
    return outcome.imported;
  });
}

/** A value as the text its column's type reads: JSON for jsonb, an array literal for text[]. */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return textArray(value.map(String));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** PostgreSQL's array literal: each element quoted (or NULL), with " and \ escaped. */
function textArray(items: (string | null)[]): string {
  const quoted = items.map((item) => (item === null ? 'NULL' : `"${item.replace(/["\\]/g, '\\$&')}"`));
  return `{${quoted.join(',')}}`;
}

/** Every case of the node, oldest first, as interchange chunks (CSV or JSONL), streamed. */
export async function* exportCases(
  db: NodeDb,
  format: InterchangeFormat,
  pageSize = 1_000,
): AsyncGenerator<string> {
  yield* writeInterchange(records(db, pageSize), format);
}

async function* records(db: NodeDb, pageSize: number): AsyncGenerator<InterchangeRecord> {
  let after: string | undefined;
  for (;;) {
    const page: CaseRow[] = await db
      .select()
      .from(cases)
      .where(after ? gt(cases.id, after) : sql`true`)
      .orderBy(asc(cases.id))
      .limit(pageSize);
    for (const row of page) yield recordFromCase(row);
    if (page.length < pageSize) return;
    after = page.at(-1)?.id;
  }
}
