// The matcher's model parameters (m/u probabilities per field level, prior), newest last: each
// estimate — by EM over blocked pairs, or from officers' decisions — is kept, and the matcher
// scores with the newest (or the engine's defaults when there is none).
import type { InferSelectModel } from 'drizzle-orm';
import { bigserial, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const matchParameters = pgTable('match_parameters', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** ModelParameters of nodes/src/matching/score. */
  parameters: jsonb('parameters').$type<Record<string, unknown>>().notNull(),
  source: text('source', { enum: ['em', 'decisions'] }).notNull(),
  /** How many pairs the estimate was made from. */
  pairs: integer('pairs').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: instant('created_at').notNull().defaultNow(),
});
export type MatchParametersRow = InferSelectModel<typeof matchParameters>;
