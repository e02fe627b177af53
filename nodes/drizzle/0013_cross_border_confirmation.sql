ALTER TABLE "detail_requests" ALTER COLUMN "query_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "detail_requests" ALTER COLUMN "handle" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cross_border_candidates" ADD COLUMN "confirmed_here_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cross_border_candidates" ADD COLUMN "confirmed_here_by" text;--> statement-breakpoint
ALTER TABLE "cross_border_candidates" ADD COLUMN "confirmed_here_note" text;--> statement-breakpoint
ALTER TABLE "cross_border_candidates" ADD COLUMN "confirmed_there_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cross_border_candidates" ADD COLUMN "repatriation" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "cross_border_candidates" ADD COLUMN "notices_sent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "detail_requests" ADD COLUMN "candidate_id" text;--> statement-breakpoint
CREATE INDEX "detail_requests_candidate" ON "detail_requests" USING btree ("candidate_id","created_at");