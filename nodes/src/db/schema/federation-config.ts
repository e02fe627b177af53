// The signed federation configuration this node last accepted: the JWS exactly as the hub
// signed it (re-verified against the anchor whenever it is loaded, so a row altered at rest is
// not trusted) and its version, which later documents may not go below (rollback). One row.
import type { InferSelectModel } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const federationConfig = pgTable('federation_config', {
  /** Always 'current': the table holds one document. */
  slot: text('slot').primaryKey().default('current'),
  version: integer('version').notNull(),
  jws: text('jws').notNull(),
  issuedAt: instant('issued_at').notNull(),
  expiresAt: instant('expires_at').notNull(),
  acceptedAt: instant('accepted_at').notNull(),
});
export type FederationConfigRow = InferSelectModel<typeof federationConfig>;
