// Photos of a case's child, kept in the database beside the case (so that backups, transactions
// and jurisdiction cover them like the rest of the record). The type is what the bytes are, not
// what the upload claimed; (case, sha256) is unique, so the same image is stored once per case.
import type { InferSelectModel } from 'drizzle-orm';
import { customType, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { instant } from './columns.ts';

/**
 * drizzle 0.45 has no bytea column. postgres-js gives a Buffer and PGlite a Uint8Array; both
 * take either. Copy to a plain Uint8Array so callers see the same type on both drivers.
 */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
});

export const casePhotos = pgTable(
  'case_photos',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    /** Hex SHA-256 of `bytes`. */
    sha256: text('sha256').notNull(),
    mime: text('mime', { enum: ['image/jpeg', 'image/png', 'image/webp'] }).notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    bytes: bytea('bytes').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull(),
  },
  // Also serves listing a case's photos (a handful per case: sorting them needs no index).
  (table) => [uniqueIndex('case_photos_case_sha256').on(table.caseId, table.sha256)],
);
export type CasePhotoRow = InferSelectModel<typeof casePhotos>;
