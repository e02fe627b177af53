// A node's federation policy as an administrator set it; nodes without a row get the default
// (every purpose, every other member), see trust/federation-config.ts.
import type { NodePolicy } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const nodePolicies = pgTable('node_policies', {
  nodeId: text('node_id').primaryKey(),
  policy: jsonb('policy').$type<NodePolicy>().notNull(),
  updatedAt: instant('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});
export type NodePolicyRow = InferSelectModel<typeof nodePolicies>;
