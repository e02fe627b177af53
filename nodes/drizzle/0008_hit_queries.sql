CREATE TABLE "detail_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"direction" text NOT NULL,
	"peer_node" text NOT NULL,
	"remote_id" text NOT NULL,
	"query_id" text NOT NULL,
	"handle" text NOT NULL,
	"case_id" text,
	"unit_id" text,
	"purpose" text NOT NULL,
	"legal_basis" text NOT NULL,
	"reason" text NOT NULL,
	"case_reference" text NOT NULL,
	"requested_by" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"deadline" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"decision_reason" text,
	"details" jsonb,
	"envelope_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hit_handles" (
	"handle" text PRIMARY KEY NOT NULL,
	"origin" text NOT NULL,
	"query_id" text NOT NULL,
	"case_id" text NOT NULL,
	"band" text NOT NULL,
	"probability" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queries" (
	"id" text PRIMARY KEY NOT NULL,
	"unit_id" text NOT NULL,
	"asked_by" jsonb NOT NULL,
	"looking_for" text NOT NULL,
	"child" jsonb NOT NULL,
	"place" jsonb NOT NULL,
	"event_date" date NOT NULL,
	"purpose" text NOT NULL,
	"legal_basis" text NOT NULL,
	"case_reference" text NOT NULL,
	"targets" text[] NOT NULL,
	"sent_to" text[] NOT NULL,
	"envelope_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "query_answers" (
	"query_id" text NOT NULL,
	"node_id" text NOT NULL,
	"outcome" text NOT NULL,
	"envelope_id" text NOT NULL,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "query_answers_query_id_node_id_pk" PRIMARY KEY("query_id","node_id")
);
--> statement-breakpoint
CREATE TABLE "query_hits" (
	"node_id" text NOT NULL,
	"handle" text NOT NULL,
	"query_id" text NOT NULL,
	"band" text NOT NULL,
	CONSTRAINT "query_hits_node_id_handle_pk" PRIMARY KEY("node_id","handle")
);
--> statement-breakpoint
CREATE TABLE "received_queries" (
	"origin" text NOT NULL,
	"query_id" text NOT NULL,
	"envelope_id" text NOT NULL,
	"asked_by" jsonb NOT NULL,
	"looking_for" text NOT NULL,
	"purpose" text NOT NULL,
	"legal_basis" text NOT NULL,
	"case_reference" text NOT NULL,
	"outcome" text NOT NULL,
	"hits" integer NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "received_queries_origin_query_id_pk" PRIMARY KEY("origin","query_id")
);
--> statement-breakpoint
ALTER TABLE "hit_handles" ADD CONSTRAINT "hit_handles_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "query_answers" ADD CONSTRAINT "query_answers_query_id_queries_id_fk" FOREIGN KEY ("query_id") REFERENCES "public"."queries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "query_hits" ADD CONSTRAINT "query_hits_query_id_queries_id_fk" FOREIGN KEY ("query_id") REFERENCES "public"."queries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "detail_requests_remote" ON "detail_requests" USING btree ("direction","peer_node","remote_id");--> statement-breakpoint
CREATE INDEX "detail_requests_status" ON "detail_requests" USING btree ("direction","status","created_at");--> statement-breakpoint
CREATE INDEX "queries_unit" ON "queries" USING btree ("unit_id","created_at");--> statement-breakpoint
CREATE INDEX "query_hits_handle" ON "query_hits" USING btree ("handle");--> statement-breakpoint
CREATE INDEX "query_hits_query" ON "query_hits" USING btree ("query_id");