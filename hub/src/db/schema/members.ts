// Registered federation members: which certificate belongs to which node, and the node's public
// signing and encryption keys.

import type { PublicJwk } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const members = pgTable('members', {
  nodeId: text('node_id').primaryKey(),
  displayName: text('display_name').notNull(),
  certificatePem: text('certificate_pem').notNull(),
  certificateFingerprint: text('certificate_fingerprint').notNull().unique(),
  signingKey: jsonb('signing_key').$type<PublicJwk>().notNull(),
  encryptionKey: jsonb('encryption_key').$type<PublicJwk>().notNull(),
  status: text('status', { enum: ['active', 'suspended', 'revoked'] })
    .notNull()
    .default('active'),
  registeredAt: instant('registered_at').notNull().defaultNow(),
});
export type MemberRow = InferSelectModel<typeof members>;
