CREATE TABLE "case_terms" (
	"term" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"case_id" text NOT NULL,
	CONSTRAINT "case_terms_term_created_at_case_id_pk" PRIMARY KEY("term","created_at","case_id")
);
--> statement-breakpoint
-- Added by hand (keep when squashing): the search terms of cases stored before this migration.
INSERT INTO "case_terms" ("term", "created_at", "case_id")
SELECT DISTINCT "term", "created_at", "id" FROM "cases", unnest("search_terms") AS "term";--> statement-breakpoint
DROP INDEX "cases_area";--> statement-breakpoint
DROP INDEX "cases_search";--> statement-breakpoint
DROP INDEX "cases_placement";--> statement-breakpoint
ALTER TABLE "case_versions" ADD COLUMN "status" text GENERATED ALWAYS AS ((snapshot ->> 'status')) STORED;--> statement-breakpoint
CREATE INDEX "case_versions_transitions" ON "case_versions" USING btree ("case_id","version","status","changed_at") WHERE "case_versions"."change" = 'transition';--> statement-breakpoint
CREATE INDEX "cases_district" ON "cases" USING btree ("district","created_at","id");--> statement-breakpoint
CREATE INDEX "cases_placement" ON "cases" USING btree ("placement_unit_id") WHERE "cases"."placement_unit_id" is not null;