CREATE TABLE "deliveries" (
	"envelope_id" text NOT NULL,
	"recipient" text NOT NULL,
	"acked_at" timestamp with time zone,
	CONSTRAINT "deliveries_envelope_id_recipient_pk" PRIMARY KEY("envelope_id","recipient")
);
--> statement-breakpoint
CREATE TABLE "envelopes" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"origin" text NOT NULL,
	"type" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"digest" text NOT NULL,
	"body" jsonb NOT NULL,
	"receipt" jsonb NOT NULL,
	"traceparent" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "envelopes_seq_unique" UNIQUE("seq")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"node_id" text PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"certificate_pem" text NOT NULL,
	"certificate_fingerprint" text NOT NULL,
	"signing_key" jsonb NOT NULL,
	"encryption_key" jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_certificate_fingerprint_unique" UNIQUE("certificate_fingerprint")
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_envelope_id_envelopes_id_fk" FOREIGN KEY ("envelope_id") REFERENCES "public"."envelopes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deliveries_pending" ON "deliveries" USING btree ("recipient","acked_at");