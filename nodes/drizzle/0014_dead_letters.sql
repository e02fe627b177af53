CREATE TABLE "dead_letters" (
	"envelope_id" text PRIMARY KEY NOT NULL,
	"hub_seq" bigint NOT NULL,
	"type" text NOT NULL,
	"subject" text,
	"purposes" jsonb NOT NULL,
	"undelivered_to" jsonb NOT NULL,
	"envelope_digest" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"dropped_at" timestamp with time zone NOT NULL,
	"notice" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "dead_letters_hub_seq_unique" UNIQUE("hub_seq")
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "refusal_code" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "refused_at" timestamp with time zone;