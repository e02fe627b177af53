// Reports of missing and found children registered at this node. Each change bumps `version`
// (the exchange publishes versions; later issues keep the history).
import type { ChildDescription, ConsentScope } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { date, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export type PlaceValue = { country: string; state?: string; district?: string; description?: string };

export const cases = pgTable('cases', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['missing', 'found'] }).notNull(),
  version: integer('version').notNull().default(1),
  child: jsonb('child').$type<ChildDescription>().notNull(),
  place: jsonb('place').$type<PlaceValue>().notNull(),
  /** Last seen (missing) or found (found). */
  eventDate: date('event_date', { mode: 'string' }).notNull(),
  consent: jsonb('consent').$type<ConsentScope>(),
  createdAt: instant('created_at').notNull().defaultNow(),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});
export type CaseRow = InferSelectModel<typeof cases>;
