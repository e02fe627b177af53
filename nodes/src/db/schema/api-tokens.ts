// API tokens for system integrations: act as their user, limited to the scopes they were given,
// until they expire or are revoked. Only the digest of the secret is stored.

import type { Permission as Action } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { users } from './users.ts';

export const apiTokens = pgTable('api_tokens', {
  id: text('id').primaryKey(),
  secretDigest: text('secret_digest').notNull().unique(),
  name: text('name').notNull(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  scopes: jsonb('scopes').$type<Action[]>().notNull(),
  expiresAt: instant('expires_at').notNull(),
  revokedAt: instant('revoked_at'),
  createdAt: instant('created_at').notNull().defaultNow(),
});
export type ApiTokenRow = InferSelectModel<typeof apiTokens>;
