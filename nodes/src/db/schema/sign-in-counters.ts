// Counters behind the sign-in limits (access/sign-in-limits.ts) on a node without Redis: one row
// per key (a client, a client at an account, an account, a client an account signed in from),
// shared by every API process of the node. A row whose window has ended counts as absent.
import type { InferSelectModel } from 'drizzle-orm';
import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const signInCounters = pgTable(
  'sign_in_counters',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    /** The end of the row's window, by the node's clock. */
    resetsAt: instant('resets_at').notNull(),
  },
  // Ended rows are deleted now and then (sign-in-counters.store.ts).
  (table) => [index('sign_in_counters_resets_at').on(table.resetsAt)],
);
export type SignInCounterRow = InferSelectModel<typeof signInCounters>;
