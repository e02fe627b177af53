// Every complete (perfect, aligned) subtree of the transparency log's Merkle tree, stored once
// when it completes, so that appending needs only the frontier (at most one subtree per level)
// and any proof needs at most two per level, never a walk over the leaves. A subtree at `level`
// covering leaves [i·2^level, (i+1)·2^level) completes when the tree reaches `size` =
// (i+1)·2^level leaves; level 0 rows are the leaf hashes.
import type { InferSelectModel } from 'drizzle-orm';
import { bigint, pgTable, primaryKey, smallint, text } from 'drizzle-orm/pg-core';

export const transparencyNodes = pgTable(
  'transparency_nodes',
  {
    size: bigint('size', { mode: 'number' }).notNull(),
    level: smallint('level').notNull(),
    hash: text('hash').notNull(),
  },
  (table) => [primaryKey({ columns: [table.size, table.level] })],
);
export type TransparencyNodeRow = InferSelectModel<typeof transparencyNodes>;
