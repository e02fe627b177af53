// Every signing (Ed25519) and encryption (X25519) key a node has published, with the window in
// which it counts: a rotated-out key keeps verifying what was signed before its validUntil.
import type { PublicJwk } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const nodeKeys = pgTable(
  'node_keys',
  {
    kid: text('kid').primaryKey(),
    nodeId: text('node_id').notNull(),
    use: text('use', { enum: ['signing', 'encryption'] }).notNull(),
    jwk: jsonb('jwk').$type<PublicJwk>().notNull(),
    validFrom: instant('valid_from').notNull(),
    /** Null while it is the node's current key. */
    validUntil: instant('valid_until'),
  },
  (table) => [index('node_keys_node').on(table.nodeId, table.use)],
);
export type NodeKeyRow = InferSelectModel<typeof nodeKeys>;
