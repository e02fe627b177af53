DROP INDEX "match_profiles_missing_name";--> statement-breakpoint
DROP INDEX "match_profiles_found_name";--> statement-breakpoint
CREATE INDEX "match_profiles_missing_name" ON "match_profiles" USING gin ("latin_name" gin_trgm_ops) WHERE "match_profiles"."side" = 'missing';--> statement-breakpoint
CREATE INDEX "match_profiles_found_name" ON "match_profiles" USING gin ("latin_name" gin_trgm_ops) WHERE "match_profiles"."side" = 'found';