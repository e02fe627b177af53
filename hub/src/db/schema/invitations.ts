// Invitations to enrol: a one-time token for one node id, kept only as its SHA-256.
import type { InferSelectModel } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const invitations = pgTable('invitations', {
  id: text('id').primaryKey(),
  nodeId: text('node_id').notNull(),
  displayName: text('display_name').notNull(),
  /** SHA-256 of the token, lowercase hex; the token itself is shown once and never stored. */
  tokenHash: text('token_hash').notNull().unique(),
  createdBy: text('created_by').notNull(),
  createdAt: instant('created_at').notNull(),
  expiresAt: instant('expires_at').notNull(),
  usedAt: instant('used_at'),
  enrolmentId: text('enrolment_id'),
});
export type InvitationRow = InferSelectModel<typeof invitations>;
