// The append-only, hash-chained audit log: each entry holds the hash of the one before, so an
// edited or deleted entry breaks the chain from that point (`khoj audit verify` finds it).
// Written in the same transaction as the change it records; reads of personal data too.
import type { InferSelectModel } from 'drizzle-orm';
import { bigint, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const auditLog = pgTable('audit_log', {
  /** 1, 2, 3 … with no gaps: a missing number is a deleted entry. */
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  at: instant('at').notNull(),
  actorId: text('actor_id').notNull(),
  unitId: text('unit_id'),
  action: text('action').notNull(),
  recordType: text('record_type').notNull(),
  recordId: text('record_id').notNull(),
  reason: text('reason'),
  requestId: text('request_id'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});
export type AuditRow = InferSelectModel<typeof auditLog>;
