// The transparency log's entries: the metadata of each accepted envelope, in log order. The
// entry's leaf hash is the level-0 row of transparency_nodes; `khoj hub log verify` recomputes
// both from these columns (see contracts/src/transparency.ts for the hashing).
import type { EnvelopeType, Purpose } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { bigint, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const transparencyLeaves = pgTable('transparency_leaves', {
  /** 0, 1, 2 … with no gaps: the leaf's position in the Merkle tree. */
  leafIndex: bigint('leaf_index', { mode: 'number' }).primaryKey(),
  envelopeId: text('envelope_id').notNull().unique(),
  type: text('type').$type<EnvelopeType>().notNull(),
  origin: text('origin').notNull(),
  /** The nodes the envelope was delivered to (a fanned-out query: the members it reached). */
  recipients: jsonb('recipients').$type<string[]>().notNull(),
  purposes: jsonb('purposes').$type<Purpose[]>().notNull(),
  digest: text('digest').notNull(),
  acceptedAt: instant('accepted_at').notNull(),
});
export type TransparencyLeafRow = InferSelectModel<typeof transparencyLeaves>;
