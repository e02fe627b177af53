ALTER TABLE "case_terms" ADD COLUMN "district" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Edited by hand (keep when squashing): drizzle-kit wrote the new key before the column it
-- names; and the words stored before this migration take their case's district.
UPDATE "case_terms" SET "district" = "cases"."district" FROM "cases"
WHERE "cases"."id" = "case_terms"."case_id" AND "cases"."district" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "case_terms" DROP CONSTRAINT "case_terms_term_created_at_case_id_pk";--> statement-breakpoint
ALTER TABLE "case_terms" ADD CONSTRAINT "case_terms_term_created_at_case_id_district_pk" PRIMARY KEY("term","created_at","case_id","district");
