// Signed checkpoints of the transparency log: every one the hub has issued, kept, so that
// `khoj hub log verify` checks each against the recomputed tree and nodes can ask for proofs
// against the ones they hold.
import type { InferSelectModel } from 'drizzle-orm';
import { bigint, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const transparencyCheckpoints = pgTable('transparency_checkpoints', {
  treeSize: bigint('tree_size', { mode: 'number' }).primaryKey(),
  rootHash: text('root_hash').notNull(),
  issuedAt: instant('issued_at').notNull(),
  /** Compact JWS of the CheckpointStatement by the configuration-signing key. */
  jws: text('jws').notNull(),
});
export type TransparencyCheckpointRow = InferSelectModel<typeof transparencyCheckpoints>;
