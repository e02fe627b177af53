// Reports of missing and found children registered at this node (a found child placed in a CCI
// is a child in care). Every change bumps `version` and keeps the previous state in
// case_versions. Jurisdiction columns are copied out of `place` so that lists filter on indexes.
import type { ChildRecord, ConsentScope } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { units } from './units.ts';

export type PlaceValue = { country: string; state?: string; district?: string; description?: string };
export type GuardianValue = { name: string; relation: string; phones: string[] };
export type MissingValue = {
  firNumber?: string;
  gdNumber?: string;
  circumstances?: string;
  guardians: GuardianValue[];
};
export type FoundValue = {
  foundBy: 'police' | 'cci' | 'ahtu' | 'railway_police' | 'citizen';
  rescuedFromTrafficking: boolean;
  circumstances?: string;
  placementUnitId?: string;
};

export const cases = pgTable(
  'cases',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['missing', 'found'] }).notNull(),
    status: text('status', { enum: ['open', 'under_review', 'matched', 'reunited', 'transferred', 'closed'] })
      .notNull()
      .default('open'),
    closedReason: text('closed_reason'),
    version: integer('version').notNull().default(1),
    ownerUnitId: text('owner_unit_id')
      .notNull()
      .references(() => units.id),
    /** The CCI the child is placed in: a child in care. */
    placementUnitId: text('placement_unit_id').references(() => units.id),
    verification: text('verification', { enum: ['verified', 'pending'] })
      .notNull()
      .default('verified'),
    child: jsonb('child').$type<ChildRecord>().notNull(),
    place: jsonb('place').$type<PlaceValue>().notNull(),
    country: text('country').notNull(),
    state: text('state'),
    district: text('district'),
    /** Lower-cased names, aliases and FIR/GD numbers, for prefix search in any script. */
    searchTerms: text('search_terms').array().notNull().default([]),
    eventDate: date('event_date', { mode: 'string' }).notNull(),
    missing: jsonb('missing').$type<MissingValue>(),
    found: jsonb('found').$type<FoundValue>(),
    publicNotice: boolean('public_notice').notNull().default(false),
    consent: jsonb('consent').$type<ConsentScope>(),
    /** The reporter's own reference for an imported report: re-importing it changes nothing. */
    externalRef: text('external_ref'),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  },
  (table) => [
    index('cases_area').on(table.country, table.state, table.district, table.createdAt),
    index('cases_owner').on(table.ownerUnitId, table.createdAt),
    index('cases_placement').on(table.placementUnitId),
    index('cases_created').on(table.createdAt, table.id),
    index('cases_search').using('gin', table.searchTerms),
    uniqueIndex('cases_external_ref').on(table.ownerUnitId, table.externalRef),
  ],
);
export type CaseRow = InferSelectModel<typeof cases>;
export type NewCaseRow = typeof cases.$inferInsert;
