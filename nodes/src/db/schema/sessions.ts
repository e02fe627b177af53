// Server-side sessions for browsers: the cookie carries a random secret, the table its digest
// and the CSRF token that unsafe requests must echo in a header.
import type { InferSelectModel } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { users } from './users.ts';

export const sessions = pgTable('sessions', {
  secretDigest: text('secret_digest').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  csrfToken: text('csrf_token').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
  expiresAt: instant('expires_at').notNull(),
});
export type SessionRow = InferSelectModel<typeof sessions>;
