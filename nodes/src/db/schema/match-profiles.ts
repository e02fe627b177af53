// The matcher's compact view of each matchable report: the prepared profile it scores from (so a
// candidate costs one row read, not a case row plus transliteration), the transliterated name for
// trigram blocking, the phonetic name keys for term frequencies, and the digest of the material
// fields that decides whether a rejected pair may be proposed again.
import { type InferSelectModel, sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';

export const matchProfiles = pgTable(
  'match_profiles',
  {
    caseId: text('case_id').primaryKey(),
    side: text('side', { enum: ['missing', 'found'] }).notNull(),
    /** The case version this profile was computed from. */
    caseVersion: integer('case_version').notNull(),
    sex: text('sex', { enum: ['female', 'male', 'other', 'unknown'] }).notNull(),
    /** Estimated birth, in months since 1970-01. */
    birth: integer('birth').notNull(),
    country: text('country').notNull(),
    state: text('state'),
    district: text('district'),
    /** The child's names in Latin letters, lower case, space-separated: for trigram similarity. */
    latinName: text('latin_name').notNull(),
    /** Distinct phonetic keys of the child's name tokens: term frequencies are counted over them. */
    nameKeys: text('name_keys').array().notNull(),
    /** The MatchProfile (see nodes/src/matching/profile.ts) the scorer prepares. */
    profile: jsonb('profile').$type<Record<string, unknown>>().notNull(),
    /** SHA-256 (hex) of the material fields: names, sex, age, dates, place, guardians, marks. */
    digest: text('digest').notNull(),
  },
  // Trigram (GIN) indexes per side, for `latin_name % $name` on the other side's reports: a
  // nearest-name (GiST) search cost tens of milliseconds per report on PGlite.
  (table) => [
    index('match_profiles_missing_name')
      .using('gin', table.latinName.op('gin_trgm_ops'))
      .where(sql`${table.side} = 'missing'`),
    index('match_profiles_found_name')
      .using('gin', table.latinName.op('gin_trgm_ops'))
      .where(sql`${table.side} = 'found'`),
  ],
);
export type MatchProfileRow = InferSelectModel<typeof matchProfiles>;
