CREATE TABLE "cross_border_candidates" (
	"id" text PRIMARY KEY NOT NULL,
	"role" text NOT NULL,
	"local_case_id" text NOT NULL,
	"foreign_origin" text NOT NULL,
	"foreign_reference" text NOT NULL,
	"foreign_version" integer NOT NULL,
	"probability" double precision NOT NULL,
	"band" text NOT NULL,
	"explanation" jsonb NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"closed_reason" text,
	"notice_envelope_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "foreign_tombstones" (
	"origin" text NOT NULL,
	"case_id" text NOT NULL,
	"version" integer NOT NULL,
	"reason" text NOT NULL,
	"envelope_id" text NOT NULL,
	"retracted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "foreign_tombstones_origin_case_id_pk" PRIMARY KEY("origin","case_id")
);
--> statement-breakpoint
CREATE TABLE "sharing_policies" (
	"category" text PRIMARY KEY NOT NULL,
	"purposes" jsonb NOT NULL,
	"recipients" jsonb NOT NULL,
	"fields" text NOT NULL,
	"legal_basis" text NOT NULL,
	"lifetime_days" integer NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cross_border_candidates" ADD CONSTRAINT "cross_border_candidates_local_case_id_cases_id_fk" FOREIGN KEY ("local_case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cross_border_candidates_pair" ON "cross_border_candidates" USING btree ("role","local_case_id","foreign_origin","foreign_reference");--> statement-breakpoint
CREATE INDEX "cross_border_candidates_foreign" ON "cross_border_candidates" USING btree ("foreign_origin","foreign_reference");--> statement-breakpoint
-- Default sharing policy (administrators replace entries through PUT /v1/sharing-policy/{category}):
-- reports of missing and found children, and children in care, to Indian states, Bangladesh and
-- Nepal for reunification with names; children rescued from trafficking only to anti-trafficking
-- units, without names.
INSERT INTO "sharing_policies" ("category", "purposes", "recipients", "fields", "legal_basis", "lifetime_days", "updated_by") VALUES
	('missing', '["reunification"]', '["IN-*","BD","NP"]', 'standard', 'guardian_consent', 365, 'default'),
	('found', '["reunification"]', '["IN-*","BD","NP"]', 'standard', 'statute', 365, 'default'),
	('in_care', '["reunification"]', '["IN-*","BD","NP"]', 'standard', 'statute', 365, 'default'),
	('rescued_from_trafficking', '["anti_trafficking"]', '["IN-*","BD","NP"]', 'minimal', 'statute', 180, 'default');
