CREATE TABLE "dead_letters" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"envelope_id" text NOT NULL,
	"origin" text NOT NULL,
	"type" text NOT NULL,
	"purposes" jsonb NOT NULL,
	"undelivered_to" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"dropped_at" timestamp with time zone NOT NULL,
	"notice" text NOT NULL,
	CONSTRAINT "dead_letters_envelope_id_unique" UNIQUE("envelope_id")
);
--> statement-breakpoint
CREATE TABLE "envelope_conflicts" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"envelope_id" text NOT NULL,
	"origin" text NOT NULL,
	"stored_digest" text NOT NULL,
	"offered_digest" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "envelope_refusals" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"sender" text NOT NULL,
	"envelope_id" text NOT NULL,
	"type" text NOT NULL,
	"code" text NOT NULL,
	"message" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "transparency_checkpoints" (
	"tree_size" bigint PRIMARY KEY NOT NULL,
	"root_hash" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"jws" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transparency_head" (
	"id" smallint PRIMARY KEY NOT NULL,
	"tree_size" bigint NOT NULL,
	"root_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transparency_leaves" (
	"leaf_index" bigint PRIMARY KEY NOT NULL,
	"envelope_id" text NOT NULL,
	"type" text NOT NULL,
	"origin" text NOT NULL,
	"recipients" jsonb NOT NULL,
	"purposes" jsonb NOT NULL,
	"digest" text NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "transparency_leaves_envelope_id_unique" UNIQUE("envelope_id")
);
--> statement-breakpoint
CREATE TABLE "transparency_nodes" (
	"size" bigint NOT NULL,
	"level" smallint NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "transparency_nodes_size_level_pk" PRIMARY KEY("size","level")
);
--> statement-breakpoint
CREATE INDEX "dead_letters_origin" ON "dead_letters" USING btree ("origin","seq");--> statement-breakpoint
CREATE INDEX "envelope_refusals_sender" ON "envelope_refusals" USING btree ("sender","seq");