// People who sign in at this node. Passwords are scrypt hashes; failed sign-ins are counted per
// client and account by the sign-in limits (access/sign-in-limits.ts), not here.

import type { Role } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { units } from './units.ts';

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role').$type<Role>().notNull(),
  unitId: text('unit_id')
    .notNull()
    .references(() => units.id),
  passwordHash: text('password_hash').notNull(),
  /** @deprecated unused since the sign-in limits replaced the account lockout; to be dropped. */
  failedSignIns: integer('failed_sign_ins').notNull().default(0),
  /** @deprecated unused since the sign-in limits replaced the account lockout; to be dropped. */
  lockedUntil: instant('locked_until'),
  disabledAt: instant('disabled_at'),
  createdAt: instant('created_at').notNull().defaultNow(),
});
export type UserRow = InferSelectModel<typeof users>;
