// The transparency log's head: one row, its size and root hash. Appends lock it (select … for
// update), which orders appends across hub processes; checkpoints sign what it holds.
import type { InferSelectModel } from 'drizzle-orm';
import { bigint, pgTable, smallint, text } from 'drizzle-orm/pg-core';

export const transparencyHead = pgTable('transparency_head', {
  /** Always 1. */
  id: smallint('id').primaryKey(),
  treeSize: bigint('tree_size', { mode: 'number' }).notNull(),
  rootHash: text('root_hash').notNull(),
});
export type TransparencyHeadRow = InferSelectModel<typeof transparencyHead>;
