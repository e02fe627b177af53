// The node's sharing policy: per kind of case, the widest consent an officer may grant. Seeded
// with defaults by the migration that creates it; administrators replace entries through the API.
import type { Purpose, SharingCategory } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const sharingPolicies = pgTable('sharing_policies', {
  category: text('category').$type<SharingCategory>().primaryKey(),
  purposes: jsonb('purposes').$type<Purpose[]>().notNull(),
  /** Node ids or patterns such as `IN-*`. */
  recipients: jsonb('recipients').$type<string[]>().notNull(),
  fields: text('fields', { enum: ['minimal', 'standard', 'full'] }).notNull(),
  legalBasis: text('legal_basis', { enum: ['guardian_consent', 'statute', 'court_order'] }).notNull(),
  /** Longest a consent may last from when it is granted, in days. */
  lifetimeDays: integer('lifetime_days').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});
export type SharingPolicyRow = InferSelectModel<typeof sharingPolicies>;
