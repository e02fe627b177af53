// Reports of missing and found children registered at this node (a found child placed in a CCI
// is a child in care). Every change bumps `version` and keeps the previous state in
// case_versions. Jurisdiction columns are copied out of `place` so that lists filter on indexes.
import type { ChildRecord, ConsentScope } from '@khoj/contracts';
import { type InferSelectModel, sql } from 'drizzle-orm';
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
    /**
     * The version the matcher last processed (NULL: never). Rows where it differs from `version`
     * are the durable queue of reports to match, so no writer of cases has to enqueue anything.
     */
    matchedVersion: integer('matched_version'),
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
    /** Lower-cased words of names and aliases, and FIR/GD numbers (copied to case_terms). */
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
    // Lists filtered by district (and a district's statistics) walk it newest first; a
    // jurisdiction's country and state are checked on the rows it yields.
    index('cases_district').on(table.district, table.createdAt, table.id),
    index('cases_owner').on(table.ownerUnitId, table.createdAt),
    // Most cases have no placement: only children in care are indexed.
    index('cases_placement').on(table.placementUnitId).where(sql`${table.placementUnitId} is not null`),
    index('cases_created').on(table.createdAt, table.id),
    // Word search is served by case_terms (case-terms.ts), not by an index on searchTerms.
    uniqueIndex('cases_external_ref').on(table.ownerUnitId, table.externalRef),
    index('cases_to_match')
      .on(table.updatedAt)
      .where(sql`${table.matchedVersion} is distinct from ${table.version}`),
  ],
);
export type CaseRow = InferSelectModel<typeof cases>;
export type NewCaseRow = typeof cases.$inferInsert;
