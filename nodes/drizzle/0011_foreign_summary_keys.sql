CREATE TABLE "foreign_summary_keys" (
	"origin" text NOT NULL,
	"case_id" text NOT NULL,
	"side" text NOT NULL,
	"rule" text NOT NULL,
	"key" text NOT NULL,
	"birth" integer NOT NULL,
	CONSTRAINT "foreign_summary_keys_origin_case_id_rule_key_pk" PRIMARY KEY("origin","case_id","rule","key")
);
--> statement-breakpoint
ALTER TABLE "foreign_summaries" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "foreign_summary_keys" ADD CONSTRAINT "foreign_summary_keys_summary" FOREIGN KEY ("origin","case_id") REFERENCES "public"."foreign_summaries"("origin","case_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "foreign_summary_keys_lookup" ON "foreign_summary_keys" USING btree ("rule","key","side","birth","origin","case_id");