CREATE TABLE "match_candidates" (
	"id" text PRIMARY KEY NOT NULL,
	"missing_case_id" text NOT NULL,
	"found_case_id" text NOT NULL,
	"probability" double precision NOT NULL,
	"weight" double precision NOT NULL,
	"explanation" jsonb NOT NULL,
	"comparisons" jsonb NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"missing_digest" text NOT NULL,
	"found_digest" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_keys" (
	"case_id" text NOT NULL,
	"side" text NOT NULL,
	"rule" text NOT NULL,
	"key" text NOT NULL,
	"birth" integer NOT NULL,
	CONSTRAINT "match_keys_case_id_rule_key_pk" PRIMARY KEY("case_id","rule","key")
);
--> statement-breakpoint
CREATE TABLE "match_parameters" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"parameters" jsonb NOT NULL,
	"source" text NOT NULL,
	"pairs" integer NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_profiles" (
	"case_id" text PRIMARY KEY NOT NULL,
	"side" text NOT NULL,
	"case_version" integer NOT NULL,
	"sex" text NOT NULL,
	"birth" integer NOT NULL,
	"country" text NOT NULL,
	"state" text,
	"district" text,
	"latin_name" text NOT NULL,
	"name_keys" text[] NOT NULL,
	"profile" jsonb NOT NULL,
	"digest" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "matched_version" integer;--> statement-breakpoint
ALTER TABLE "match_candidates" ADD CONSTRAINT "match_candidates_missing_case_id_cases_id_fk" FOREIGN KEY ("missing_case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_candidates" ADD CONSTRAINT "match_candidates_found_case_id_cases_id_fk" FOREIGN KEY ("found_case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "match_candidates_pair" ON "match_candidates" USING btree ("missing_case_id","found_case_id");--> statement-breakpoint
CREATE INDEX "match_candidates_found" ON "match_candidates" USING btree ("found_case_id");--> statement-breakpoint
CREATE INDEX "match_keys_lookup" ON "match_keys" USING btree ("rule","key","side","birth");--> statement-breakpoint
CREATE INDEX "match_profiles_missing_name" ON "match_profiles" USING gist ("latin_name" gist_trgm_ops) WHERE "match_profiles"."side" = 'missing';--> statement-breakpoint
CREATE INDEX "match_profiles_found_name" ON "match_profiles" USING gist ("latin_name" gist_trgm_ops) WHERE "match_profiles"."side" = 'found';--> statement-breakpoint
CREATE INDEX "cases_to_match" ON "cases" USING btree ("updated_at") WHERE "cases"."matched_version" is distinct from "cases"."version";