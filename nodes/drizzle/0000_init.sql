CREATE TABLE "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"child" jsonb NOT NULL,
	"place" jsonb NOT NULL,
	"event_date" date NOT NULL,
	"consent" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "federation_members" (
	"node_id" text PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"signing_keys" jsonb NOT NULL,
	"encryption_keys" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "foreign_summaries" (
	"origin" text NOT NULL,
	"case_id" text NOT NULL,
	"version" integer NOT NULL,
	"envelope_id" text NOT NULL,
	"summary" jsonb NOT NULL,
	"purposes" jsonb NOT NULL,
	"fields" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "foreign_summaries_origin_case_id_pk" PRIMARY KEY("origin","case_id")
);
--> statement-breakpoint
CREATE TABLE "inbox_log" (
	"envelope_id" text PRIMARY KEY NOT NULL,
	"origin" text NOT NULL,
	"type" text NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"envelope_id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"subject" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"traceparent" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"receipt" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_seq_unique" UNIQUE("seq")
);
--> statement-breakpoint
CREATE INDEX "outbox_due" ON "outbox" USING btree ("status","next_attempt_at");