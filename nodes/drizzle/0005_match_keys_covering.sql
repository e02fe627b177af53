DROP INDEX "match_keys_lookup";--> statement-breakpoint
CREATE INDEX "match_keys_lookup" ON "match_keys" USING btree ("rule","key","side","birth","case_id");