// The photo a citizen attached to a sighting: evidence for the verifying officer, never served
// publicly. The kind is what the bytes say (magic numbers), not what the upload claimed; the
// claimed name and type are kept only as the reporter's words.
import type { InferSelectModel } from 'drizzle-orm';
import { customType, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { instant } from './columns.ts';

/** drizzle has no bytea column in this version; both drivers take and give byte arrays. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const intakePhotos = pgTable('intake_photos', {
  caseId: text('case_id')
    .primaryKey()
    .references(() => cases.id),
  mime: text('mime', { enum: ['image/jpeg', 'image/png', 'image/webp'] }).notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  /** Hex SHA-256 of the bytes: proves later that the photo is the one received. */
  sha256: text('sha256').notNull(),
  bytes: bytea('bytes').notNull(),
  declaredName: text('declared_name'),
  declaredType: text('declared_type'),
  createdAt: instant('created_at').notNull(),
});
export type IntakePhotoRow = InferSelectModel<typeof intakePhotos>;
