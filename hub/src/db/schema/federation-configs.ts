// Every version of the signed federation configuration ever published: the history
// administrators read, and the newest one nodes fetch.
import type { FederationConfig } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { bigint, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const federationConfigs = pgTable('federation_configs', {
  version: bigint('version', { mode: 'number' }).primaryKey(),
  issuedAt: instant('issued_at').notNull(),
  expiresAt: instant('expires_at').notNull(),
  /** What changed: `enrolment.approve IN-WB`, `node.revoke NP`, `refresh`, … */
  reason: text('reason').notNull(),
  document: jsonb('document').$type<FederationConfig>().notNull(),
  /** Compact JWS over the document, as served. */
  jws: text('jws').notNull(),
});
export type FederationConfigRow = InferSelectModel<typeof federationConfigs>;
