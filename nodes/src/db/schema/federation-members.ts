// This node's copy of the federation directory (fetched from the hub), so that publishing and
// verifying keep working across restarts and while the hub is briefly unreachable.
import type { PublicJwk } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const federationMembers = pgTable('federation_members', {
  nodeId: text('node_id').primaryKey(),
  displayName: text('display_name').notNull(),
  signingKeys: jsonb('signing_keys').$type<PublicJwk[]>().notNull(),
  encryptionKeys: jsonb('encryption_keys').$type<PublicJwk[]>().notNull(),
  fetchedAt: instant('fetched_at').notNull().defaultNow(),
});
export type FederationMemberRow = InferSelectModel<typeof federationMembers>;
