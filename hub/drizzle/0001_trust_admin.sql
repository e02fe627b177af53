CREATE TABLE "crls" (
	"issuer_serial_hex" text NOT NULL,
	"crl_number" bigint NOT NULL,
	"this_update" timestamp with time zone NOT NULL,
	"next_update" timestamp with time zone NOT NULL,
	"pem" text NOT NULL,
	CONSTRAINT "crls_issuer_serial_hex_crl_number_pk" PRIMARY KEY("issuer_serial_hex","crl_number")
);
--> statement-breakpoint
CREATE TABLE "enrolment_approvals" (
	"enrolment_id" text NOT NULL,
	"admin" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "enrolment_approvals_enrolment_id_admin_pk" PRIMARY KEY("enrolment_id","admin")
);
--> statement-breakpoint
CREATE TABLE "enrolments" (
	"id" text PRIMARY KEY NOT NULL,
	"invitation_id" text NOT NULL,
	"node_id" text NOT NULL,
	"display_name" text NOT NULL,
	"csr_pem" text NOT NULL,
	"signing_key" jsonb NOT NULL,
	"encryption_key" jsonb NOT NULL,
	"tls_key_sha256" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"reason" text,
	"certificate_serial" text,
	CONSTRAINT "enrolments_invitation_id_unique" UNIQUE("invitation_id")
);
--> statement-breakpoint
CREATE TABLE "federation_configs" (
	"version" bigint PRIMARY KEY NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"document" jsonb NOT NULL,
	"jws" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hub_audit_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text NOT NULL,
	"detail" jsonb NOT NULL,
	"request_id" text,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"node_id" text NOT NULL,
	"display_name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"enrolment_id" text,
	CONSTRAINT "invitations_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "node_certificates" (
	"serial_hex" text PRIMARY KEY NOT NULL,
	"node_id" text NOT NULL,
	"fingerprint" text NOT NULL,
	"certificate_pem" text NOT NULL,
	"csr_pem" text,
	"issuer_serial_hex" text,
	"source" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "node_certificates_fingerprint_unique" UNIQUE("fingerprint")
);
--> statement-breakpoint
CREATE TABLE "node_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"node_id" text NOT NULL,
	"use" text NOT NULL,
	"jwk" jsonb NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "node_policies" (
	"node_id" text PRIMARY KEY NOT NULL,
	"policy" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revocations" (
	"serial_hex" text PRIMARY KEY NOT NULL,
	"issuer_serial_hex" text,
	"node_id" text,
	"subject" text NOT NULL,
	"revoked_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"revoked_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "enrolment_approvals" ADD CONSTRAINT "enrolment_approvals_enrolment_id_enrolments_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."enrolments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrolments" ADD CONSTRAINT "enrolments_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enrolments_status" ON "enrolments" USING btree ("status","submitted_at");--> statement-breakpoint
CREATE INDEX "node_certificates_node" ON "node_certificates" USING btree ("node_id","not_after");--> statement-breakpoint
CREATE INDEX "node_keys_node" ON "node_keys" USING btree ("node_id","use");