// Importing an interchange file into this node's cases: streamed, in batches of one transaction
// each (cases, their first versions and one audit entry for the batch commit together), idempotent
// on the file's `id` per owning unit, invalid rows reported and skipped.
import { createReadStream } from 'node:fs';
import { type Database, newId } from '@khoj/platform';
import { asc, gt, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import type * as schema from '../db/schema/index.ts';
import { type CaseRow, cases, caseVersions, type NewCaseRow } from '../db/schema/index.ts';
import { detectFormat, type InterchangeFormat } from './format.ts';
import { readInterchange } from './read.ts';
import type { InterchangeRecord } from './record.ts';
import type { RowError } from './row-errors.ts';
import { caseFromRecord, recordFromCase } from './to-case.ts';
import { writeInterchange } from './write.ts';

type NodeDb = Database<typeof schema>;

export const IMPORT_BATCH = 1_000;

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
  },
): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: 0, alreadyPresent: 0, invalid: 0 };
  let batch: { line: number; record: InterchangeRecord }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch.map(({ record }) => caseFromRecord(record, options.ownerUnitId, options.importedBy));
    const inserted = await insertBatch(
      db,
      rows,
      `${path} lines ${batch[0]?.line}–${batch.at(-1)?.line}`,
      options.importedBy,
    );
    summary.imported += inserted;
    summary.alreadyPresent += rows.length - inserted;
    options.onProgress?.(batch.length);
    batch = [];
  };
  for await (const row of readInterchange(createReadStream(path), options.format ?? detectFormat(path))) {
    if (row.errors) {
      summary.invalid += 1;
      options.onErrors?.(row.errors);
      options.onProgress?.(1);
      continue;
    }
    if (row.record) batch.push({ line: row.line, record: row.record });
    if (batch.length >= IMPORT_BATCH) await flush();
  }
  await flush();
  return summary;
}

/** Inserts the new cases of a batch (those whose reference is not there yet); returns how many. */
async function insertBatch(
  db: NodeDb,
  rows: NewCaseRow[],
  source: string,
  importedBy: string,
): Promise<number> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(cases)
      .values(rows)
      .onConflictDoNothing({ target: [cases.ownerUnitId, cases.externalRef] })
      .returning();
    if (inserted.length === 0) return 0;
    await tx.insert(caseVersions).values(
      inserted.map((row) => ({
        caseId: row.id,
        version: row.version,
        change: 'create' as const,
        snapshot: JSON.parse(JSON.stringify(row)),
        changedBy: importedBy,
        changedAt: row.updatedAt,
        reason: 'imported',
      })),
    );
    await appendAudit(tx, {
      actorId: importedBy,
      action: 'case.import',
      recordType: 'case',
      recordId: inserted[0]?.id ?? newId('case'),
      reason: `${inserted.length} cases from ${source}`,
    });
    return inserted.length;
  });
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
