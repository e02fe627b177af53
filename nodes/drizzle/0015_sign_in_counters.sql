CREATE TABLE "sign_in_counters" (
	"key" text PRIMARY KEY NOT NULL,
	"hits" integer NOT NULL,
	"resets_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sign_in_counters_resets_at" ON "sign_in_counters" USING btree ("resets_at");