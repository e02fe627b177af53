// The directory of stakeholders: police stations, CCIs, CWCs, child-protection units, AHTUs …
// Every user belongs to one, and jurisdiction rules read its country, state and district.
import { UNIT_TYPES } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const units = pgTable(
  'units',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    type: text('type', { enum: UNIT_TYPES }).notNull(),
    country: text('country').notNull(),
    state: text('state'),
    district: text('district'),
    parentId: text('parent_id'),
    phones: jsonb('phones').$type<string[]>().notNull().default([]),
    emails: jsonb('emails').$type<string[]>().notNull().default([]),
    active: boolean('active').notNull().default(true),
    /** The reference an imported directory gave this unit, so a re-import updates it. */
    externalRef: text('external_ref').unique(),
    createdAt: instant('created_at').notNull().defaultNow(),
  },
  (table) => [index('units_district').on(table.country, table.state, table.district, table.type)],
);
export type UnitRow = InferSelectModel<typeof units>;
