-- Edited after generation: handles given before this migration get their query's purpose and
-- the default lifetime (30 days from when they were given), then the columns become NOT NULL.
ALTER TABLE "hit_handles" ADD COLUMN "purpose" text;--> statement-breakpoint
ALTER TABLE "hit_handles" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
UPDATE "hit_handles" SET "purpose" = coalesce((SELECT r."purpose" FROM "received_queries" r WHERE r."origin" = "hit_handles"."origin" AND r."query_id" = "hit_handles"."query_id"), 'anti_trafficking'), "expires_at" = "created_at" + interval '30 days';--> statement-breakpoint
ALTER TABLE "hit_handles" ALTER COLUMN "purpose" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "hit_handles" ALTER COLUMN "expires_at" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "queries" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "queries" ADD COLUMN "withdrawn_by" text;--> statement-breakpoint
ALTER TABLE "queries" ADD COLUMN "withdraw_reason" text;--> statement-breakpoint
ALTER TABLE "query_hits" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "hit_handles_expiry" ON "hit_handles" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "hit_handles_query" ON "hit_handles" USING btree ("origin","query_id");