// The hub's append-only, hash-chained audit log of administrative and trust actions: each entry
// holds the hash of the one before, so an edited or deleted entry breaks the chain from there.
// Written in the same transaction as the change it records.
import type { InferSelectModel } from 'drizzle-orm';
import { bigint, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const hubAuditLog = pgTable('hub_audit_log', {
  /** 1, 2, 3 … with no gaps: a missing number is a deleted entry. */
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  at: instant('at').notNull(),
  /** `admin:<name>`, `node:<id>`, `enrolment:<id>` or `cli`. */
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  /** What the action was about: a node id, an enrolment id, a serial. */
  subject: text('subject').notNull(),
  detail: jsonb('detail').$type<Record<string, string | number | boolean | null>>().notNull(),
  requestId: text('request_id'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});
export type HubAuditRow = InferSelectModel<typeof hubAuditLog>;
